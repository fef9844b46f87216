import { isOAuthError, OAuthError } from '@warden/protocol';
import type { Logger } from '@warden/server';
import * as client from 'openid-client';
import { UpstreamMetadataError } from './upstream-clients.js';
import { UpstreamUnavailableError } from './upstream-fetch.js';

/** The upstream answered, but not with what the protocol says it must (non-JSON, missing fields). */
export class UpstreamAnswerError extends Error {
  override name = 'UpstreamAnswerError';
}

/** oauth4webapi's codes for an ID token that failed its checks (signature key, claims, times). */
const ID_TOKEN_CODES = new Set([
  'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  'OAUTH_KEY_SELECTION_FAILED',
]);

/**
 * What the user is shown when signing in at `upstream` failed, as an `OAuthError` for the page:
 * - the upstream unreachable or too slow: 503 `temporarily_unavailable`, naming it;
 * - an ID token that fails its checks (signature, `iss`, `aud`, `azp`, `nonce`, `exp`, `iat`,
 *   `auth_time`), or an `iss` in the callback naming another issuer (mix-up): 403 `access_denied`;
 * - the upstream refusing the code or the access token (an OAuth error answer): 502 `access_denied`;
 * - anything else it answered that cannot be used (not JSON, fields missing, bad metadata): 502;
 * - an `OAuthError` already made is kept.
 * Logs the cause (never a token) as a warning for the administrator. Anything that is none of these
 * is not the upstream's doing and is returned as it is, for the server to treat as a bug.
 */
export function upstreamFailure(
  error: unknown,
  upstream: { displayName: string; connection: string },
  logger: Logger,
): unknown {
  if (isOAuthError(error)) return error;
  const name = upstream.displayName;
  const fail = (
    code: 'temporarily_unavailable' | 'access_denied' | 'server_error',
    status: number,
    text: string,
  ) => {
    logger.warn({ connection: upstream.connection, err: describe(error) }, 'upstream sign-in failed');
    return new OAuthError(code, text, { status, cause: error });
  };
  if (isUnavailable(error)) {
    return fail(
      'temporarily_unavailable',
      503,
      `${name} is not answering right now, so Warden cannot sign you in with it. Try again in a few minutes, or sign in another way.`,
    );
  }
  if (error instanceof client.ResponseBodyError || error instanceof client.WWWAuthenticateChallengeError) {
    const code =
      'error' in error && typeof error.error === 'string' && /^[\w.-]{1,64}$/.test(error.error)
        ? ` (${error.error})`
        : '';
    return fail(
      'access_denied',
      502,
      `${name} refused to finish signing you in${code}. Go back to the application and try again.`,
    );
  }
  if (error instanceof client.ClientError) {
    if (isIssuerMismatch(error)) {
      return fail(
        'access_denied',
        403,
        `This answer did not come from ${name}. Go back to the application and sign in again.`,
      );
    }
    if (isIdTokenProblem(error)) {
      return fail(
        'access_denied',
        403,
        `The sign-in ${name} sent did not pass Warden's checks (its ID token is not valid). Go back to the application and try again.`,
      );
    }
  }
  if (
    error instanceof client.ClientError ||
    error instanceof UpstreamAnswerError ||
    error instanceof UpstreamMetadataError
  ) {
    return fail(
      'server_error',
      502,
      `${name} answered with something Warden cannot use. Try again later, or sign in another way.`,
    );
  }
  return error;
}

/** True when the cause chain holds an unreachable upstream or a timed-out read. */
export function isUnavailable(error: unknown): boolean {
  return chain(error).some(
    (link) =>
      link instanceof UpstreamUnavailableError ||
      (link instanceof DOMException && (link.name === 'TimeoutError' || link.name === 'AbortError')) ||
      (link as { code?: unknown }).code === 'OAUTH_TIMEOUT',
  );
}

function isIdTokenProblem(error: client.ClientError): boolean {
  return chain(error).some((link) => {
    const code = (link as { code?: unknown }).code;
    if (typeof code === 'string' && ID_TOKEN_CODES.has(code)) return true;
    return code === 'OAUTH_INVALID_RESPONSE' && link instanceof Error && /\bJWT\b/.test(link.message);
  });
}

function isIssuerMismatch(error: client.ClientError): boolean {
  return chain(error).some(
    (link) => link instanceof Error && /"iss" \(issuer\) response parameter/.test(link.message),
  );
}

/** The error and its causes, outermost first (at most 8). */
function chain(error: unknown): unknown[] {
  const links: unknown[] = [];
  for (let current = error; current && links.length < 8; current = (current as { cause?: unknown }).cause) {
    links.push(current);
  }
  return links;
}

/** The messages of the cause chain, for the log. */
function describe(error: unknown): string {
  return chain(error)
    .map((link) => (link instanceof Error ? link.message : undefined))
    .filter((message) => message !== undefined)
    .join(' <- ');
}
