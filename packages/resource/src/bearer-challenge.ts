import { bearerChallenge, isOAuthError, type OAuthErrorBody, toOAuthErrorBody } from '@warden/protocol';

export { bearerChallenge };

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
