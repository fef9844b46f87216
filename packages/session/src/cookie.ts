/**
 * Cookie serialisation and parsing (RFC 6265, with the `__Host-` / `__Secure-` prefix rules of
 * RFC 6265bis). Values are passed through as they are: no percent-encoding or decoding, so a value
 * must already be made of cookie-octets (base64url is).
 */

export type SameSite = 'Strict' | 'Lax' | 'None';

export interface SerializeCookieOptions {
  /** Seconds until the cookie expires; 0 or less deletes it. Fractions are dropped. */
  maxAge?: number;
  /** Absolute expiry, for clients that ignore Max-Age. */
  expires?: Date;
  /** Defaults to none (the browser then uses the request path's directory). */
  path?: string;
  /** Omit to get a host-only cookie (required for `__Host-`). */
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: SameSite;
  /** CHIPS: partitioned third-party cookie. Requires `secure`. */
  partitioned?: boolean;
}

/** Longest Cookie header `parseCookieHeader` reads; anything after it is ignored. */
export const MAX_COOKIE_HEADER_LENGTH = 16_384;
/** Most cookie pairs `parseCookieHeader` reads from one header. */
export const MAX_COOKIE_PAIRS = 256;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;
const PATH_VALUE = /^[\x20-\x3A\x3C-\x7E]+$/;
const DOMAIN_VALUE = /^\.?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const SAME_SITE: readonly SameSite[] = ['Strict', 'Lax', 'None'];

/**
 * Builds one `Set-Cookie` header value.
 *
 * Checks (throwing `TypeError` naming the offending option): the name is an RFC 7230 token; the
 * value is made of cookie-octets; path and domain hold no `;` or control characters; `SameSite=None`
 * and `Partitioned` come with `Secure`; a `__Secure-` name has `Secure`; a `__Host-` name has
 * `Secure`, `Path=/` and no `Domain` — browsers silently drop cookies that break these rules.
 *
 * Does NOT encode the value, and does not check the total length against browser limits (~4 KiB).
 */
export function serializeCookie(name: string, value: string, options: SerializeCookieOptions = {}): string {
  checkCookieName(name);
  if (typeof value !== 'string' || !COOKIE_VALUE.test(value)) {
    throw new TypeError('value: a cookie value must be made of cookie-octets (no space, ", comma, ; or \\)');
  }
  checkPrefixRules(name, options);
  const parts = [`${name}=${value}`];
  if (options.maxAge !== undefined) {
    if (typeof options.maxAge !== 'number' || !Number.isFinite(options.maxAge)) {
      throw new TypeError('maxAge: must be a finite number of seconds');
    }
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  }
  if (options.expires !== undefined) {
    if (!(options.expires instanceof Date) || Number.isNaN(options.expires.getTime())) {
      throw new TypeError('expires: must be a valid Date');
    }
    parts.push(`Expires=${options.expires.toUTCString()}`);
  }
  if (options.domain !== undefined) {
    if (typeof options.domain !== 'string' || !DOMAIN_VALUE.test(options.domain)) {
      throw new TypeError('domain: must be a host name');
    }
    parts.push(`Domain=${options.domain}`);
  }
  if (options.path !== undefined) {
    if (typeof options.path !== 'string' || !PATH_VALUE.test(options.path)) {
      throw new TypeError('path: must be non-empty and hold no ; or control characters');
    }
    parts.push(`Path=${options.path}`);
  }
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  if (options.sameSite !== undefined) {
    if (!SAME_SITE.includes(options.sameSite)) throw new TypeError('sameSite: must be Strict, Lax or None');
    parts.push(`SameSite=${options.sameSite}`);
  }
  if (options.partitioned) parts.push('Partitioned');
  return parts.join('; ');
}

/** Throws a `TypeError` naming `option` unless `name` is a valid cookie name (an RFC 7230 token). */
export function checkCookieName(name: unknown, option = 'name'): asserts name is string {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new TypeError(`${option}: a cookie name must be a non-empty RFC 7230 token`);
  }
}

function checkPrefixRules(name: string, options: SerializeCookieOptions): void {
  if ((options.sameSite === 'None' || options.partitioned) && !options.secure) {
    throw new TypeError('secure: SameSite=None and Partitioned cookies must be Secure');
  }
  if (name.startsWith('__Secure-') && !options.secure) {
    throw new TypeError('secure: a __Secure- cookie must be Secure');
  }
  if (name.startsWith('__Host-')) {
    if (!options.secure) throw new TypeError('secure: a __Host- cookie must be Secure');
    if (options.path !== '/') throw new TypeError('path: a __Host- cookie must have Path=/');
    if (options.domain !== undefined) throw new TypeError('domain: a __Host- cookie must not have a Domain');
  }
}

/**
 * Reads a `Cookie` request header into a map of name -> value.
 *
 * Never throws: anything that is not a string yields an empty map, pairs without `=` or with an
 * empty name are skipped. Work is bounded: only the first `MAX_COOKIE_HEADER_LENGTH` characters
 * (cut back to the last whole pair) and the first `MAX_COOKIE_PAIRS` pairs are read. When a name
 * repeats, the first value wins (browsers send the most specific path first). Surrounding double
 * quotes are removed; values are NOT percent-decoded, and names and values are not validated.
 */
export function parseCookieHeader(header: unknown): Map<string, string> {
  const cookies = new Map<string, string>();
  if (typeof header !== 'string' || header.length === 0) return cookies;
  const input = header.length <= MAX_COOKIE_HEADER_LENGTH ? header : cutToWholePairs(header);
  let start = 0;
  let pairs = 0;
  while (start < input.length && pairs < MAX_COOKIE_PAIRS) {
    let end = input.indexOf(';', start);
    if (end === -1) end = input.length;
    pairs += 1;
    readPair(input.slice(start, end), cookies);
    start = end + 1;
  }
  return cookies;
}

function cutToWholePairs(header: string): string {
  const cut = header.lastIndexOf(';', MAX_COOKIE_HEADER_LENGTH);
  return cut === -1 ? '' : header.slice(0, cut);
}

function readPair(pair: string, cookies: Map<string, string>): void {
  const eq = pair.indexOf('=');
  if (eq === -1) return;
  const name = pair.slice(0, eq).trim();
  if (name.length === 0 || cookies.has(name)) return;
  let value = pair.slice(eq + 1).trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  cookies.set(name, value);
}
