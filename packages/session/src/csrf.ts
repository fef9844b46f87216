import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkCookieName, parseCookieHeader, serializeCookie } from './cookie.js';
import { type RandomBytes, randomBytesDefault, randomToken } from './session-id.js';

/* ------------------------------------------------------------------------------------------------
 * Fetch Metadata + Origin check
 * ---------------------------------------------------------------------------------------------- */

export type HeadersInput = Headers | Record<string, string | string[] | undefined>;

export interface CheckRequestOriginInput {
  method: string;
  /** A web `Headers` or a Node-style header object (names matched case-insensitively). */
  headers: HeadersInput;
  /** Origins allowed to send unsafe requests, e.g. `['https://id.example.com']`. */
  allowedOrigins: readonly string[];
}

/**
 * Why a request was refused:
 * - `cross_site_request`: `Sec-Fetch-Site` is `cross-site` or `same-site` and `Origin` is not allowed;
 * - `origin_not_allowed`: no usable `Sec-Fetch-Site`, and `Origin` is present but not allowed
 *   (this includes `Origin: null`);
 * - `referer_not_allowed`: no `Sec-Fetch-Site` nor `Origin`, and the `Referer`'s origin is not allowed;
 * - `origin_missing`: none of `Sec-Fetch-Site`, `Origin`, `Referer`.
 */
export type OriginCheckFailure =
  | 'cross_site_request'
  | 'origin_not_allowed'
  | 'referer_not_allowed'
  | 'origin_missing';

export type OriginCheckResult = { ok: true } | { ok: false; reason: OriginCheckFailure };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Decides whether a request may have been forged by another site (CSRF), from headers the page
 * cannot set. GET, HEAD and OPTIONS always pass: they must not change state. For other methods:
 *
 * 1. `Sec-Fetch-Site: same-origin` passes. `none` passes too: browsers send it only for requests
 *    the user started (address bar, bookmark), which another site cannot cause.
 * 2. `Sec-Fetch-Site: cross-site` or `same-site` passes only if `Origin` is in `allowedOrigins`
 *    (same-site is refused by default: a sibling subdomain is not trusted).
 * 3. Without `Sec-Fetch-Site` (older browsers), or with a value this code does not know,
 *    `Origin` must be in `allowedOrigins`; without `Origin`, the origin of `Referer` must be.
 * 4. A request with none of these headers is refused.
 *
 * Does NOT defend against a script running on an allowed origin (XSS), and refuses non-browser
 * clients that send none of these headers — endpoints meant for them should not rely on cookies.
 * Throws `TypeError` for a bad `method` or `allowedOrigins` entry.
 */
export function checkRequestOrigin(input: CheckRequestOriginInput): OriginCheckResult {
  return createOriginCheck(input.allowedOrigins)(input.method, input.headers);
}

/**
 * `checkRequestOrigin` with `allowedOrigins` validated and parsed once, for a check made on
 * every request: returns `(method, headers) => OriginCheckResult`. Throws `TypeError` for a bad
 * `allowedOrigins` entry now, and for a bad `method` when called.
 */
export function createOriginCheck(
  allowedOrigins: readonly string[],
): (method: string, headers: HeadersInput) => OriginCheckResult {
  const allowed = normaliseOrigins(allowedOrigins);
  return (method, headers) => {
    if (typeof method !== 'string') throw new TypeError('method: must be a string');
    if (SAFE_METHODS.has(method) || SAFE_METHODS.has(method.toUpperCase())) return { ok: true };
    const fetchSite = readHeader(headers, 'sec-fetch-site')?.trim().toLowerCase();
    const origin = readHeader(headers, 'origin');
    if (fetchSite === 'same-origin' || fetchSite === 'none') return { ok: true };
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
      return origin !== undefined && allowed.has(origin) ? { ok: true } : refuse('cross_site_request');
    }
    if (origin !== undefined) return allowed.has(origin) ? { ok: true } : refuse('origin_not_allowed');
    const referer = readHeader(headers, 'referer');
    if (referer === undefined || referer === '') return refuse('origin_missing');
    return allowed.has(originOf(referer) ?? 'null') ? { ok: true } : refuse('referer_not_allowed');
  };
}

function refuse(reason: OriginCheckFailure): OriginCheckResult {
  return { ok: false, reason };
}

function normaliseOrigins(origins: readonly string[]): Set<string> {
  if (!Array.isArray(origins)) throw new TypeError('allowedOrigins: must be an array of origins');
  const set = new Set<string>();
  for (const entry of origins) {
    const origin = typeof entry === 'string' ? originOf(entry) : undefined;
    if (origin === undefined || origin === 'null') {
      throw new TypeError(`allowedOrigins: ${String(entry)} is not an http(s) origin`);
    }
    set.add(origin);
  }
  return set;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function readHeader(headers: HeadersInput, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = Object.hasOwn(record, name) ? record[name] : undefined;
  if (value === undefined) {
    const key = Object.keys(record).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  // Repeated headers are joined, so they never equal a single allowed origin.
  if (Array.isArray(value)) return value.join(', ');
  return typeof value === 'string' ? value : undefined;
}

/* ------------------------------------------------------------------------------------------------
 * Synchronizer token (forms inside a session)
 * ---------------------------------------------------------------------------------------------- */

const CSRF_TOKEN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
const CSRF_TOKEN_LABEL = 'warden-csrf-token.v1.';
const MIN_SECRET_LENGTH = 32;

/** A fresh per-session CSRF secret (32 random bytes, base64url). Keep it in the session's data. */
export function createCsrfSecret(random: RandomBytes = randomBytesDefault): string {
  return randomToken(random, 32);
}

/**
 * Mints a token for one HTML form: a 128-bit random nonce and HMAC-SHA256(secret, nonce), as
 * `nonce.mac`. Tokens need no storage: any number may be minted per session and each stays valid
 * as long as the secret does (i.e. the session; replace the secret to invalidate them all).
 * Throws `TypeError` when `secret` is shorter than 32 characters.
 */
export function createCsrfToken(secret: string, options: { random?: RandomBytes } = {}): string {
  checkSecret(secret, 'secret');
  const nonce = randomToken(options.random ?? randomBytesDefault, 16);
  return `${nonce}.${macOf(secret, CSRF_TOKEN_LABEL, nonce)}`;
}

/**
 * True when `token` was minted by `createCsrfToken` with this `secret`. Checks shape first (fixed
 * length, so malformed input costs nothing) and compares the MAC in constant time. Never throws
 * for a bad token; throws `TypeError` for a bad `secret`. Does NOT limit a token to one use or
 * one form, and does not expire tokens by itself.
 */
export function verifyCsrfToken(secret: string, token: unknown): boolean {
  checkSecret(secret, 'secret');
  if (typeof token !== 'string' || token.length !== 66 || !CSRF_TOKEN.test(token)) return false;
  const [nonce, mac] = token.split('.') as [string, string];
  return equalInConstantTime(mac, macOf(secret, CSRF_TOKEN_LABEL, nonce));
}

/* ------------------------------------------------------------------------------------------------
 * Pre-session (login) CSRF: HMAC-bound double-submit cookie
 * ---------------------------------------------------------------------------------------------- */

export interface PreSessionCsrfOptions {
  /** Server secret, at least 32 bytes (or 32 characters). Shared by every process of the server. */
  secret: string | Uint8Array;
  /** Default `__Host-warden_csrf`, or `warden_csrf` when `secure` is false. */
  cookieName?: string;
  /** Default true; false only for plain-http development on localhost. */
  secure?: boolean;
  /** Seconds a cookie/token pair stays valid. Default 3,600. */
  maxAge?: number;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  random?: RandomBytes;
}

export interface PreSessionCsrf {
  readonly cookieName: string;
  /**
   * A token for the form and the `Set-Cookie` value to send with the page. Reuses the pair's cookie
   * from `cookieHeader` while it is in the first half of its life, so several tabs showing the
   * form do not invalidate each other; otherwise starts a new one.
   */
  issue(cookieHeader?: string | null): { token: string; cookie: string };
  /** True when `formToken` matches the request's cookie and the pair is not older than `maxAge`. */
  verify(cookieHeader: string | null | undefined, formToken: unknown): boolean;
  /** `Set-Cookie` value that clears the cookie (send it once the form has been accepted). */
  readonly clearCookie: string;
}

export const preSessionCsrfDefaults = Object.freeze({
  cookieName: '__Host-warden_csrf',
  insecureCookieName: 'warden_csrf',
  secure: true,
  maxAge: 60 * 60,
});

const PRE_SESSION_COOKIE = /^([A-Za-z0-9_-]{22})\.([0-9]{1,15})$/;
const PRE_SESSION_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const PRE_SESSION_LABEL = 'warden-pre-session-csrf.v1.';
const CLOCK_SKEW_MS = 60_000;

/**
 * CSRF protection for forms shown before a session exists (login, sign-up), against login CSRF.
 *
 * `issue()` sets a cookie holding a random nonce and its issue time (HttpOnly, Secure,
 * SameSite=Lax, `__Host-`, Path=/) and returns the form token HMAC-SHA256(serverSecret, cookie).
 * `verify()` recomputes the MAC from the cookie the browser sent and compares it in constant time
 * with the submitted token. A cross-site form post fails because the attacker's page cannot read
 * the token; nobody without the server secret can make a cookie/token pair; and the `__Host-`
 * prefix stops a sibling subdomain from planting a cookie at all.
 *
 * Does NOT tie the pair to a user: someone able to write cookies for this exact host (XSS, or
 * `secure: false`, which drops the prefix) could plant a pair they got from the server themselves.
 * Pairs are not single-use; clear the cookie after a successful login. Pair it with
 * `checkRequestOrigin`. Validates options (TypeError naming the option) at creation.
 */
export function createPreSessionCsrf(options: PreSessionCsrfOptions): PreSessionCsrf {
  if (options === null || typeof options !== 'object') throw new TypeError('options: must be an object');
  const key = toSecretKey(options.secret);
  const secure = options.secure ?? preSessionCsrfDefaults.secure;
  if (typeof secure !== 'boolean') throw new TypeError('secure: must be a boolean');
  const cookieName =
    options.cookieName ??
    (secure ? preSessionCsrfDefaults.cookieName : preSessionCsrfDefaults.insecureCookieName);
  checkCookieName(cookieName, 'cookieName');
  if (!secure && (cookieName.startsWith('__Host-') || cookieName.startsWith('__Secure-'))) {
    throw new TypeError('cookieName: browsers refuse __Host- and __Secure- cookies when secure is false');
  }
  const maxAge = options.maxAge ?? preSessionCsrfDefaults.maxAge;
  if (typeof maxAge !== 'number' || !Number.isSafeInteger(maxAge) || maxAge < 1) {
    throw new TypeError('maxAge: must be a whole number of seconds, at least 1');
  }
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function')
    throw new TypeError('clock: must be a function returning epoch milliseconds');
  const random = options.random ?? randomBytesDefault;
  if (typeof random !== 'function') throw new TypeError('random: must be a function (bytes) => Uint8Array');

  const cookieOptions = { httpOnly: true, secure, sameSite: 'Lax' as const, path: '/' };
  const maxAgeMs = maxAge * 1000;

  /** Age in ms of a well-formed, unexpired cookie value; undefined otherwise. */
  function ageOf(value: string | undefined): number | undefined {
    const match = value === undefined ? null : PRE_SESSION_COOKIE.exec(value);
    if (!match) return undefined;
    const age = clock() - Number(match[2]) * 1000;
    return age >= -CLOCK_SKEW_MS && age < maxAgeMs ? age : undefined;
  }

  return Object.freeze({
    cookieName,
    clearCookie: serializeCookie(cookieName, '', { ...cookieOptions, maxAge: 0, expires: new Date(0) }),

    issue(cookieHeader?: string | null) {
      const existing = parseCookieHeader(cookieHeader).get(cookieName);
      const age = ageOf(existing);
      const reuse = existing !== undefined && age !== undefined && age < maxAgeMs / 2;
      const value = reuse ? existing : `${randomToken(random, 16)}.${Math.floor(clock() / 1000)}`;
      const remaining = reuse ? Math.floor((maxAgeMs - Math.max(age, 0)) / 1000) : maxAge;
      return {
        token: macOf(key, PRE_SESSION_LABEL, value),
        cookie: serializeCookie(cookieName, value, { ...cookieOptions, maxAge: remaining }),
      };
    },

    verify(cookieHeader: string | null | undefined, formToken: unknown) {
      if (typeof formToken !== 'string' || !PRE_SESSION_TOKEN.test(formToken)) return false;
      const value = parseCookieHeader(cookieHeader).get(cookieName);
      if (value === undefined || ageOf(value) === undefined) return false;
      return equalInConstantTime(formToken, macOf(key, PRE_SESSION_LABEL, value));
    },
  });
}

/* ------------------------------------------------------------------------------------------------ */

function checkSecret(secret: unknown, option: string): asserts secret is string {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`${option}: must be a string of at least ${MIN_SECRET_LENGTH} characters`);
  }
}

function toSecretKey(secret: unknown): Buffer {
  const key =
    typeof secret === 'string'
      ? Buffer.from(secret, 'utf8')
      : secret instanceof Uint8Array
        ? Buffer.from(secret)
        : undefined;
  if (key === undefined || key.length < MIN_SECRET_LENGTH) {
    throw new TypeError(`secret: must be a string or Uint8Array of at least ${MIN_SECRET_LENGTH} bytes`);
  }
  return key;
}

function macOf(key: string | Buffer, label: string, message: string): string {
  return createHmac('sha256', key).update(label).update(message).digest('base64url');
}

/** Constant-time comparison of two ASCII strings of public, equal length. */
function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a, 'latin1');
  const right = Buffer.from(b, 'latin1');
  return left.length === right.length && timingSafeEqual(left, right);
}
