import { memoizeOptions } from './lib/memoize-options.js';
import { OAuthError } from './oauth-error.js';

/** A JWT claims set that passed `checkClaims`: `exp` is a number, registered claims have their types. */
export type JWTPayload = {
  [claim: string]: unknown;
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
};

export interface ClaimsOptions {
  /** Required `iss`, compared exactly. */
  issuer?: string;
  /** Accepted audience(s): `aud` (a string or an array) must contain at least one of them. */
  audience?: string | readonly string[];
  /** Seconds of clock skew allowed for `exp`, `nbf`, `iat`. Default 0. */
  clockTolerance?: number;
  /** Now, in seconds since the epoch. Default: the system clock. */
  currentTime?: number;
  /** Largest accepted age in seconds, measured from `iat` (which becomes required). */
  maxTokenAge?: number;
  /** Claims that must be present (any value but undefined). */
  requiredClaims?: readonly string[];
}

/**
 * Checks a JWT claims set (RFC 7519, RFC 8725) and returns it typed. Checks that:
 * - `exp` is present and a number, and now < `exp` + tolerance;
 * - `nbf`, when present, is a number and not after now + tolerance;
 * - `iat`, when present, is a number and not after now + tolerance; with `maxTokenAge` it is
 *   required and now − `iat` ≤ `maxTokenAge` + tolerance;
 * - `iss`, `sub`, `jti` are strings and `aud` a string or an array of strings when present;
 * - `iss` equals `issuer` and `aud` contains one of `audience`, when those options are set;
 * - every claim in `requiredClaims` is present.
 * It does NOT check the signature, the header (`typ`) or any claim not named here (scope,
 * client_id, nonce, ...). Failures throw `OAuthError('invalid_token', <reason>)`; bad options throw
 * `TypeError`.
 */
export function checkClaims(payload: Record<string, unknown>, options: ClaimsOptions = {}): JWTPayload {
  const settings = readClaimsOptions(options);
  const now = readCurrentTime(options);
  checkTypes(payload);
  for (const claim of settings.requiredClaims) {
    if (payload[claim] === undefined) fail(`${claim} claim is missing`);
  }
  const claims = payload as JWTPayload;
  checkTimes(claims, settings, now);
  if (settings.issuer !== undefined && claims.iss !== settings.issuer) fail('unexpected iss');
  if (settings.audience !== undefined) checkAudience(claims, settings.audience);
  return claims;
}

interface ClaimsSettings {
  issuer: string | undefined;
  audience: readonly string[] | undefined;
  clockTolerance: number;
  maxTokenAge: number | undefined;
  requiredClaims: readonly string[];
}

/** The claim options checked once per options object (`currentTime` is read per call). */
const readClaimsOptions = memoizeOptions<ClaimsOptions, ClaimsSettings>(
  ['issuer', 'audience', 'clockTolerance', 'maxTokenAge', 'requiredClaims'],
  prepareClaimsOptions,
);

function prepareClaimsOptions(options: ClaimsOptions): ClaimsSettings {
  const { issuer, audience, clockTolerance = 0, maxTokenAge, requiredClaims = [] } = options;
  if (issuer !== undefined && (typeof issuer !== 'string' || issuer === '')) {
    throw new TypeError('options.issuer must be a non-empty string');
  }
  const audiences = audience === undefined ? undefined : typeof audience === 'string' ? [audience] : audience;
  if (
    audiences !== undefined &&
    (!Array.isArray(audiences) || audiences.length === 0 || !audiences.every(isNonEmpty))
  ) {
    throw new TypeError('options.audience must be a non-empty string or a non-empty array of them');
  }
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) {
    throw new TypeError('options.clockTolerance must be a non-negative number of seconds');
  }
  if (maxTokenAge !== undefined && (!Number.isFinite(maxTokenAge) || maxTokenAge <= 0)) {
    throw new TypeError('options.maxTokenAge must be a positive number of seconds');
  }
  if (!Array.isArray(requiredClaims) || !requiredClaims.every(isNonEmpty)) {
    throw new TypeError('options.requiredClaims must be an array of claim names');
  }
  return { issuer, audience: audiences, clockTolerance, maxTokenAge, requiredClaims };
}

function readCurrentTime(options: ClaimsOptions): number {
  const { currentTime } = options;
  if (currentTime === undefined) return Math.floor(Date.now() / 1000);
  if (!Number.isFinite(currentTime)) {
    throw new TypeError('options.currentTime must be a number of seconds since the epoch');
  }
  return currentTime;
}

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;
const STRING_CLAIMS = ['iss', 'sub', 'jti'] as const;

function checkTypes(payload: Record<string, unknown>): void {
  if (payload.exp === undefined) fail('exp claim is missing');
  for (const claim of TIME_CLAIMS) {
    const value = payload[claim];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(`${claim} claim must be a number`);
    }
  }
  for (const claim of STRING_CLAIMS) {
    if (payload[claim] !== undefined && typeof payload[claim] !== 'string') {
      fail(`${claim} claim must be a string`);
    }
  }
  const { aud } = payload;
  if (
    aud !== undefined &&
    typeof aud !== 'string' &&
    !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))
  ) {
    fail('aud claim must be a string or an array of strings');
  }
}

function checkTimes(claims: JWTPayload, settings: ClaimsSettings, now: number): void {
  const { clockTolerance: skew, maxTokenAge } = settings;
  if (now >= claims.exp + skew) fail('the token has expired');
  if (claims.nbf !== undefined && claims.nbf > now + skew) fail('the token is not valid yet');
  if (claims.iat !== undefined && claims.iat > now + skew) fail('the token was issued in the future');
  if (maxTokenAge !== undefined) {
    if (claims.iat === undefined) fail('iat claim is missing');
    if (now - claims.iat > maxTokenAge + skew) fail('the token is too old');
  }
}

function checkAudience(claims: JWTPayload, accepted: readonly string[]): void {
  const { aud } = claims;
  const audiences = typeof aud === 'string' ? [aud] : (aud ?? []);
  if (!audiences.some((a) => accepted.includes(a))) fail('unexpected aud');
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function fail(description: string): never {
  throw new OAuthError('invalid_token', description);
}
