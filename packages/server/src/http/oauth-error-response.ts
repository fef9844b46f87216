import { bearerChallenge, isOAuthError, OAuthError, toOAuthErrorBody } from '@warden/protocol';
import type { Logger } from '../config.js';

export interface ErrorResponseOptions {
  /** Adds `WWW-Authenticate: Bearer …` (RFC 6750 §3) for protected-resource errors. */
  bearer?: boolean;
  /** Adds `WWW-Authenticate: Basic` when an `invalid_client` answers a Basic-authenticated request. */
  basic?: boolean;
  headers?: Record<string, string>;
}

/** Maps anything thrown by an endpoint to an `OAuthError`; unknown errors become `server_error`. */
export function toOAuthError(error: unknown, logger: Logger): OAuthError {
  if (isOAuthError(error)) return error;
  logger.error({ err: error }, 'unexpected error');
  return new OAuthError('server_error', 'the server could not complete the request', { cause: error });
}

/**
 * Renders an OAuth error as JSON (RFC 6749 §5.2) with `Cache-Control: no-store`. The private
 * `cause` is never sent.
 */
export function oauthErrorResponse(error: OAuthError, options: ErrorResponseOptions = {}): Response {
  const body = toOAuthErrorBody(error);
  const headers = new Headers({
    'content-type': 'application/json',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...options.headers,
  });
  if (options.bearer) {
    headers.set('www-authenticate', bearerChallenge(error, 'warden'));
  } else if (options.basic && error.error === 'invalid_client') {
    headers.set('www-authenticate', 'Basic realm="warden"');
  }
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
