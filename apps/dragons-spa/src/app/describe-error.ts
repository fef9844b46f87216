import { HttpErrorResponse } from '@angular/common/http';
import { isOAuthError } from '@warden/angular';

/** A sentence for the user about what failed, from an HTTP or OAuth error. */
export function describeError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'The Dragons API cannot be reached. Check your connection and try again.';
    if (error.status === 401) return 'The API did not accept your sign-in (401). Sign in again.';
    if (error.status === 403) return 'The API refused this request: your account may not see it (403).';
    return `The API answered ${error.status}${error.statusText ? ` ${error.statusText}` : ''}.`;
  }
  if (isOAuthError(error)) {
    if (error.error === 'login_required') return 'Your session has ended. Sign in again.';
    if (error.error === 'access_denied') return 'The sign-in was cancelled or refused.';
    return `${capitalise(error.description)} (${error.error}).`;
  }
  return error instanceof Error ? error.message : String(error);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
