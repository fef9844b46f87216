import { OAuthError } from '@warden/protocol';

/** What a blocked user is told when they try to sign in (the hosted page, the error page). */
export const BLOCKED_USER_MESSAGE =
  'This account is blocked. Ask the administrator of this site to unblock it.';

/** The refusal of an upstream sign-in by a blocked user: the error page, 403. */
export function blockedUserError(): OAuthError {
  return new OAuthError('access_denied', BLOCKED_USER_MESSAGE, { status: 403 });
}
