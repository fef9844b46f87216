import { isOAuthError, type OAuthError, type OAuthErrorBody, toOAuthErrorBody } from '@warden/protocol';
import { isMissingToken } from './token-locations.js';

/**
 * The `WWW-Authenticate` value for a protected-resource error (RFC 6750 §3):
 * `Bearer realm="…", error="…", error_description="…", scope="…"`.
 * With no error, or the error for a request that sent no token at all, only the realm is given
 * (§3.1: no error code when the client did not try). `scope` appears when the error names one
 * (`insufficient_scope` from `requireScopes`). Descriptions are held to the characters RFC 6749
 * allows, so the value is always a valid quoted-string. Throws `TypeError` for a realm that
 * cannot be quoted.
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

/** An error answer, ready for any framework to send. */
export interface BearerErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: OAuthErrorBody;
}

/**
 * How a failed request is answered: the error's status, `{ error, error_description }` as JSON
 * (never the private `cause`), `Cache-Control: no-store`, and a Bearer challenge on 400, 401 and
 * 403. Anything that is not an `OAuthError` becomes a 500 `server_error` with a generic text;
 * adapters pass such errors to the framework instead, so this is the last resort.
 */
export function toBearerErrorResponse(error: unknown, realm: string): BearerErrorResponse {
  const body = toOAuthErrorBody(error);
  const status = isOAuthError(error) ? error.status : 500;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  };
  if (isOAuthError(error) && (status === 400 || status === 401 || status === 403)) {
    headers['www-authenticate'] = bearerChallenge(error, realm);
  }
  return { status, headers, body };
}

/** Holds text to printable ASCII without `"` and `\`, as `toOAuthErrorBody` does for descriptions. */
function toQuotable(text: string): string {
  return text
    .replaceAll('"', "'")
    .replaceAll('\\', '/')
    .replace(/[^ -~]/g, '?');
}
