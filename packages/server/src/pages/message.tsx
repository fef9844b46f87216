import { AlertIcon, InfoIcon } from './icons.js';

/** The id of the error message, for `aria-describedby` on the fields it concerns. */
export const errorMessageId = 'form-error';

/**
 * An error shown above a form, in an `role="alert"` region so screen readers announce it when
 * the page loads. Renders nothing without a message.
 */
export function ErrorMessage({ message }: { message?: string | undefined }) {
  if (!message) return null;
  return (
    <div class="alert alert-error" role="alert" id={errorMessageId}>
      <AlertIcon />
      <p>{message}</p>
    </div>
  );
}

/** A neutral notice (e.g. "Your account was created") in a polite `role="status"` region. */
export function Notice({ message }: { message?: string | undefined }) {
  if (!message) return null;
  return (
    <div class="alert alert-info" role="status">
      <InfoIcon />
      <p>{message}</p>
    </div>
  );
}
