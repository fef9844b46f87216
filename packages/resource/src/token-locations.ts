import { isMissingToken, missingTokenError, OAuthError } from '@warden/protocol';
import type { TokenLocation } from './verifier-options.js';

/** The parts of an HTTP request the verifier reads; every adapter normalises its request to this. */
export interface RequestLike {
  method: string;
  headers: Headers | Record<string, string | string[] | undefined>;
  /** The query parameters, when the `query` location is on. */
  query?: URLSearchParams | Record<string, unknown>;
  /** The parsed form body, when the `body` location is on and the framework parsed it. */
  body?: Record<string, unknown> | null;
}

/**
 * The characters of `b64token` (RFC 6750 §2.1). `=` is let through anywhere, not only at the end,
 * so a badly padded token is judged by the verifier (401 invalid_token) rather than as a
 * malformed request.
 */
const B64TOKEN = /^[A-Za-z0-9\-._~+/=]+$/;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;
/**
 * The bearer token of a request, read from the enabled `locations` (RFC 6750 §2):
 * - `header`: `Authorization: Bearer <b64token>` (scheme case-insensitive, one or more spaces);
 * - `body`: the `access_token` field of an `application/x-www-form-urlencoded` body of a request
 *   that is not GET or HEAD;
 * - `query`: the `access_token` query parameter.
 *
 * Throws `OAuthError`:
 * - 401 `invalid_request` with no token anywhere (including an Authorization header of another
 *   scheme, such as Basic); `isMissingToken` recognises it, and its challenge carries no error
 *   code (RFC 6750 §3.1);
 * - 400 `invalid_request` for a `Bearer` credential that is empty or not a b64token, a repeated
 *   Authorization header or `access_token` parameter, and a token sent in more than one place.
 *
 * It does NOT look at the token itself, and ignores locations that are not enabled.
 */
export function extractToken(request: RequestLike, locations: readonly TokenLocation[]): string {
  return findToken(request, locations, true);
}

/**
 * `extractToken`, but with `checkHeader` false a `Bearer` credential from the Authorization
 * header is returned without the b64token check: the caller must pass it to
 * `checkHeaderCredential` before judging it (a verifier may first look it up among tokens it
 * verified before, which all pass that check).
 */
export function findToken(
  request: RequestLike,
  locations: readonly TokenLocation[],
  checkHeader: boolean,
): string {
  const found = locateToken(request, locations, checkHeader);
  if (found === undefined) throw missingTokenError();
  return found;
}

/**
 * Whether the request carries anything in a token location the verifier reads: a `Bearer`
 * Authorization header (well-formed or not), an `access_token` body field or query parameter.
 * Never throws: a malformed or repeated credential counts as present, for the verifier to refuse.
 */
export function hasToken(request: RequestLike, locations: readonly TokenLocation[]): boolean {
  try {
    return locateToken(request, locations, false) !== undefined;
  } catch {
    return true;
  }
}

function locateToken(
  request: RequestLike,
  locations: readonly TokenLocation[],
  checkHeader: boolean,
): string | undefined {
  let found: string | undefined;
  for (const location of locations) {
    const token =
      location === 'header'
        ? readHeaderToken(request, checkHeader)
        : location === 'body'
          ? readBodyToken(request)
          : readQueryToken(request);
    if (token === undefined) continue;
    if (found !== undefined) invalid('the access token was sent in more than one way');
    found = token;
  }
  return found;
}

/** Throws 400 `invalid_request` unless `credentials` is a b64token (RFC 6750 §2.1). */
export function checkHeaderCredential(credentials: string): void {
  if (!B64TOKEN.test(credentials)) invalid('the Authorization header is not a well-formed Bearer credential');
}

export { isMissingToken };

/** The value of a request header (lower-case `name`), or undefined; a list of several is refused. */
export function readHeader(request: RequestLike, name: string): string | undefined {
  const { headers } = request;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  if (value === undefined) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  if (Array.isArray(value)) {
    if (value.length > 1) invalid(`the ${name} header was sent more than once`);
    return value[0];
  }
  return value;
}

function readHeaderToken(request: RequestLike, check: boolean): string | undefined {
  const value = readHeader(request, 'authorization');
  if (value === undefined || value === '') return undefined;
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  if (scheme !== 'Bearer' && scheme.toLowerCase() !== 'bearer') return undefined;
  let start = space < 0 ? value.length : space + 1;
  while (value.charCodeAt(start) === 0x20) start++;
  const credentials = value.slice(start);
  if (check) checkHeaderCredential(credentials);
  return credentials;
}

function readBodyToken(request: RequestLike): string | undefined {
  const { body, method } = request;
  if (body === undefined || body === null || typeof body !== 'object') return undefined;
  if (method === 'GET' || method === 'HEAD') return undefined;
  if (!FORM_TYPE.test(readHeader(request, 'content-type') ?? '')) return undefined;
  return checkParameter(body.access_token);
}

function readQueryToken(request: RequestLike): string | undefined {
  const { query } = request;
  if (query === undefined || query === null) return undefined;
  if (query instanceof URLSearchParams) {
    const values = query.getAll('access_token');
    return checkParameter(values.length <= 1 ? values[0] : values);
  }
  return checkParameter(query.access_token);
}

function checkParameter(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length > 1) invalid('the access_token parameter was sent more than once');
    return checkParameter(value[0]);
  }
  if (typeof value !== 'string' || !B64TOKEN.test(value)) invalid('the access_token parameter is malformed');
  return value;
}

function invalid(description: string): never {
  throw new OAuthError('invalid_request', description);
}
