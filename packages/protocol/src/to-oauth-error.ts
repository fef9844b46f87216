import { OAUTH_ERROR_CODES, OAuthError, type OAuthErrorCode } from './oauth-error.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(OAUTH_ERROR_CODES);

/**
 * An `OAuthError` for an error the idp or an API sent (`error`, `error_description`). A code
 * outside the registered set becomes `invalid_request`, its description naming the original code.
 * A status outside 400–599 falls back to the code's default.
 */
export function toOAuthError(
  code: unknown,
  description: unknown,
  options: { status?: number; scope?: string; cause?: unknown } = {},
): OAuthError {
  const text = typeof description === 'string' ? description : '';
  const known = typeof code === 'string' && KNOWN_CODES.has(code);
  const error = known ? (code as OAuthErrorCode) : 'invalid_request';
  const detail = known ? text : `${String(code)}${text ? `: ${text}` : ''}`;
  const { status } = options;
  return new OAuthError(error, detail, {
    ...(status !== undefined && status >= 400 && status <= 599 && { status }),
    ...(options.scope !== undefined && { scope: options.scope }),
    ...(options.cause !== undefined && { cause: options.cause }),
  });
}

/** `temporarily_unavailable` (503) for a request that never got an answer (network down, CORS refused). */
export function unreachable(what: string, cause: unknown): OAuthError {
  return new OAuthError('temporarily_unavailable', `${what} cannot be reached`, { cause });
}
