import { HiddenFields } from './hidden-fields.js';
import { Layout } from './layout.js';
import { ErrorMessage, errorMessageId } from './message.js';

/** Shortest password the signup form accepts (`minlength`); the server must check it too. */
export const minPasswordLength = 8;

/** What the form is for, when it is not an application's sign-up (the console's first administrator). */
export interface SignupPurpose {
  heading: string;
  subtitle: string;
  submit: string;
}

export interface SignupPageProps {
  /** The application the user signs up for ("to continue to `clientName`"). */
  clientName: string;
  /** Another heading, subtitle and button than an application's sign-up has. */
  purpose?: SignupPurpose;
  /** Where the form posts (fields `email`, `name`, `password`, the CSRF token and `hidden`). */
  action: string;
  csrfToken: string;
  hidden?: Record<string, string>;
  /** Values to keep after a failed attempt. The password is never prefilled. */
  values?: { email?: string; name?: string };
  /** Shown in an alert region above the form. */
  error?: string;
  /** Link back to the sign-in page (none: no link). */
  loginHref?: string;
}

/**
 * The account creation form: `email`, `name` and a new `password` (at least
 * {@link minPasswordLength} characters, `autocomplete="new-password"` so password managers offer
 * one). Works without JavaScript. The browser's checks are a convenience only; it does NOT
 * validate anything itself. The email field is `type="text"` with `inputmode="email"`: browsers
 * refuse non-ASCII local parts in `type="email"` and rewrite Unicode domains to punycode, while
 * the server accepts and keeps internationalised addresses (`checkEmailAddress`).
 */
export function SignupPage(props: SignupPageProps) {
  const { clientName, purpose, action, csrfToken, hidden, values, error, loginHref } = props;
  const errorId = error ? errorMessageId : undefined;
  const heading = purpose?.heading ?? 'Create your account';
  return (
    <Layout title={heading}>
      <div class="card-header">
        <h1>{heading}</h1>
        <p class="subtitle">
          {purpose ? (
            purpose.subtitle
          ) : (
            <>
              to continue to <strong>{clientName}</strong>
            </>
          )}
        </p>
      </div>
      <ErrorMessage message={error} />
      <form method="post" action={action}>
        <HiddenFields csrfToken={csrfToken} hidden={hidden} />
        <div class="fields">
          <div class="field">
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="text"
              inputmode="email"
              value={values?.email ?? ''}
              autocomplete="email"
              autocapitalize="none"
              spellcheck={false}
              required
              autofocus
              aria-describedby={errorId}
            />
          </div>
          <div class="field">
            <label for="name">Name</label>
            <input
              id="name"
              name="name"
              type="text"
              value={values?.name ?? ''}
              autocomplete="name"
              required
              aria-describedby={errorId}
            />
          </div>
          <div class="field">
            <label for="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="new-password"
              minlength={minPasswordLength}
              required
              aria-describedby={errorId ? `password-hint ${errorId}` : 'password-hint'}
            />
            <p class="hint" id="password-hint">
              At least {minPasswordLength} characters.
            </p>
          </div>
        </div>
        <button class="button button-primary" type="submit">
          {purpose?.submit ?? 'Create account'}
        </button>
      </form>
      {loginHref ? (
        <p class="switch">
          Already have an account? <a href={loginHref}>Sign in</a>
        </p>
      ) : null}
    </Layout>
  );
}
