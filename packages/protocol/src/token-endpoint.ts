import { OAuthError } from './oauth-error.js';
import { toOAuthError, unreachable } from './to-oauth-error.js';

/** A successful token response (RFC 6749 5.1, OIDC Core 3.1.3.3) after `processTokenResponse`. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

/**
 * POSTs `fields` form-encoded to the token endpoint (no cookies and, unless `headers` adds some
 * such as a confidential client's `authorization`, no custom headers, so a browser sends no CORS
 * preflight) and returns the checked response. Throws `OAuthError`: the
 * idp's own error (`invalid_grant`, ...) with its status, or `temporarily_unavailable` when the
 * idp cannot be reached.
 */
export async function requestTokens(
  fetch: typeof globalThis.fetch,
  endpoint: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
      credentials: 'omit',
    });
  } catch (cause) {
    throw unreachable('the token endpoint', cause);
  }
  const body = await response.json().catch(() => undefined);
  return processTokenResponse(response.status, body);
}

/**
 * Checks a token endpoint answer without any I/O. A non-2xx status becomes the idp's error
 * (`error`, `error_description`; `server_error` when the body has none). A 2xx needs a non-empty
 * `access_token`, `token_type` Bearer (any case, RFC 6749 7.1) and a positive `expires_in`;
 * `scope`, `id_token` and `refresh_token` must be strings when present. It does NOT verify the
 * id_token (see `verifyIdToken`).
 */
export function processTokenResponse(status: number, body: unknown): TokenResponse {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (status < 200 || status > 299) {
    if (typeof fields.error === 'string') {
      throw toOAuthError(fields.error, fields.error_description, { status });
    }
    throw new OAuthError('server_error', `the token endpoint answered ${status}`);
  }
  if (typeof fields.access_token !== 'string' || fields.access_token === '') invalid('has no access_token');
  if (typeof fields.token_type !== 'string' || fields.token_type.toLowerCase() !== 'bearer') {
    invalid('is not for a Bearer token');
  }
  if (typeof fields.expires_in !== 'number' || !(fields.expires_in > 0)) invalid('has no valid expires_in');
  for (const name of ['scope', 'id_token', 'refresh_token']) {
    if (fields[name] !== undefined && typeof fields[name] !== 'string') invalid(`has a malformed ${name}`);
  }
  return fields as unknown as TokenResponse;
}

function invalid(what: string): never {
  throw new OAuthError('server_error', `the token response ${what}`);
}
