/**
 * Error codes registered by RFC 6749 (OAuth 2.0), RFC 6750 (bearer tokens), RFC 7009 (revocation),
 * RFC 7591 (dynamic registration), RFC 8707 (resource indicators), RFC 8628 (device grant) and
 * OpenID Connect Core. Rate limiting uses `temporarily_unavailable` (there is no registered
 * `too_many_requests`).
 */
export const OAUTH_ERROR_CODES = Object.freeze([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
  'unsupported_response_type',
  'server_error',
  'temporarily_unavailable',
  'invalid_token',
  'insufficient_scope',
  'unsupported_token_type',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'invalid_request_uri',
  'invalid_request_object',
  'request_not_supported',
  'request_uri_not_supported',
  'registration_not_supported',
  'invalid_target',
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'slow_down',
] as const);

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(OAUTH_ERROR_CODES);

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
};

/** The HTTP status an error code gets when none is given: 401, 403, 500, 503 or else 400. */
export function defaultStatusFor(code: OAuthErrorCode): number {
  return DEFAULT_STATUS[code] ?? 400;
}

export interface OAuthErrorOptions {
  /** HTTP status (400–599). Defaults per code, see `defaultStatusFor`. */
  status?: number;
  /** Private detail for logs; never rendered to the client. */
  cause?: unknown;
  /** Scope the request needed (RFC 6750 `insufficient_scope`), for the WWW-Authenticate header. */
  scope?: string;
}

/**
 * The one error the protocol speaks: an RFC error code, a description that is safe to show to
 * the client, an HTTP status and a private `cause`. Transports render it with
 * `toOAuthErrorBody` (and their own headers); the cause is never rendered.
 */
export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly description: string;
  readonly status: number;
  readonly scope?: string;
  declare readonly cause?: unknown;

  constructor(error: OAuthErrorCode, description: string, options: OAuthErrorOptions = {}) {
    if (!KNOWN_CODES.has(error)) throw new TypeError(`error: "${String(error)}" is not an OAuth error code`);
    if (typeof description !== 'string') throw new TypeError('description must be a string');
    const status = options.status ?? defaultStatusFor(error);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new TypeError('options.status must be an integer from 400 to 599');
    }
    super(`${error}: ${description}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.error = error;
    this.description = description;
    this.status = status;
    if (options.scope !== undefined) this.scope = options.scope;
  }
}

/** True for an `OAuthError` thrown by this package (an `instanceof` check, nothing duck-typed). */
export function isOAuthError(value: unknown): value is OAuthError {
  return value instanceof OAuthError;
}

export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

/**
 * The JSON body of an error response (RFC 6749 section 5.2). Carries the code and the public
 * description only, never the cause. Anything that is not an `OAuthError` becomes a generic
 * `server_error`, so an unexpected exception cannot leak its message. The description is held to
 * the characters RFC 6749 allows in `error_description` (printable ASCII without `"` and `\`):
 * `"` becomes `'`, `\` becomes `/`, anything else outside the set becomes `?`, so the same text
 * is also safe inside a WWW-Authenticate quoted-string.
 */
export function toOAuthErrorBody(err: unknown): OAuthErrorBody {
  if (!isOAuthError(err)) {
    return { error: 'server_error', error_description: 'the server could not complete the request' };
  }
  return { error: err.error, error_description: toSafeDescription(err.description) };
}

function toSafeDescription(text: string): string {
  return text
    .replaceAll('"', "'")
    .replaceAll('\\', '/')
    .replace(/[^ -~]/g, '?');
}
