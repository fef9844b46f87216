import { toOAuthError } from '@warden/protocol/client';
import type { OAuthError } from '@warden/protocol/core';

/**
 * The parameters of a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 3): `error`,
 * `error_description`, `scope`, ... Quoted and token values; nothing else is interpreted.
 */
export function readBearerChallenge(header: string | null): Record<string, string> {
  const params: Record<string, string> = {};
  if (!header || !/^\s*bearer\b/i.test(header)) return params;
  for (const match of header.matchAll(/([a-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi)) {
    params[match[1]!.toLowerCase()] = match[2]?.replace(/\\(.)/g, '$1') ?? match[3]!;
  }
  return params;
}

/**
 * The `OAuthError` for an API's 401 or 403: the challenge's `error` (else `invalid_token` for
 * 401, `insufficient_scope` for 403), its description and scope, the response's status, and the
 * response itself as `cause` (its body is unread).
 */
export function apiError(response: Response): OAuthError {
  const challenge = readBearerChallenge(response.headers.get('www-authenticate'));
  const fallback = response.status === 401 ? 'invalid_token' : 'insufficient_scope';
  const description =
    challenge.error_description ??
    (response.status === 401
      ? 'the API refused the access token'
      : 'the API refused access to this resource');
  return toOAuthError(challenge.error ?? fallback, description, {
    status: response.status,
    ...(challenge.scope !== undefined && { scope: challenge.scope }),
    cause: response,
  });
}
