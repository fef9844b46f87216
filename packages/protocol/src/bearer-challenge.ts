import { OAuthError, toOAuthErrorBody } from './oauth-error.js';

const missingTokenErrors = new WeakSet<OAuthError>();

/**
 * The error for a request to a protected resource that carries no token at all: 401
 * `invalid_request`, recognised by `isMissingToken` so that its challenge names no error code
 * (RFC 6750 §3.1).
 */
export function missingTokenError(): OAuthError {
  const error = new OAuthError('invalid_request', 'a bearer token is required', { status: 401 });
  missingTokenErrors.add(error);
  return error;
}

/** True for an error made by `missingTokenError`. */
export function isMissingToken(error: unknown): boolean {
  return error instanceof OAuthError && missingTokenErrors.has(error);
}

/**
 * The `WWW-Authenticate` value for a protected-resource error (RFC 6750 §3):
 * `Bearer realm="…", error="…", error_description="…", scope="…"`.
 * With no error, or the error for a request that sent no token at all, only the realm is given
 * (§3.1: no error code when the client did not try). `scope` appears when the error names one
 * (`insufficient_scope`). Descriptions are held to the characters RFC 6749 allows, so the value is
 * always a valid quoted-string. Throws `TypeError` for a realm that cannot be quoted.
 */
export function bearerChallenge(error: OAuthError | undefined, realm: string): string {
  if (typeof realm !== 'string' || !/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(realm)) {
    throw new TypeError('realm must be printable ASCII without " or \\');
  }
  const parts = [`realm="${realm}"`];
  if (error !== undefined && !isMissingToken(error)) {
    const body = toOAuthErrorBody(error);
    parts.push(`error="${body.error}"`, `error_description="${body.error_description}"`);
    if (error.scope !== undefined) parts.push(`scope="${toQuotable(error.scope)}"`);
  }
  return `Bearer ${parts.join(', ')}`;
}

/** Holds text to printable ASCII without `"` and `\`, as `toOAuthErrorBody` does for descriptions. */
function toQuotable(text: string): string {
  return text
    .replaceAll('"', "'")
    .replaceAll('\\', '/')
    .replace(/[^ -~]/g, '?');
}
