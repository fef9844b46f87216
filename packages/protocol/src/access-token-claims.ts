import { hasControlCharacter } from './has-control-character.js';
import { OAuthError } from './oauth-error.js';

/** RFC 9068 §2.2: claims every JWT access token has besides `iss`, `aud` and `exp`. */
export const ACCESS_TOKEN_REQUIRED_CLAIMS: readonly string[] = Object.freeze([
  'sub',
  'client_id',
  'iat',
  'jti',
]);

/**
 * The largest NumericDate accepted in a token: 9999-12-31T23:59:59Z. Dates beyond it are not
 * dates a token means, and they outgrow what databases and `Date` hold.
 */
export const MAX_NUMERIC_DATE = 253_402_300_799;

/** What an access token grants, read from its claims by `readAccessTokenClaims`. */
export interface AccessTokenClaims {
  /** The user, or the client itself for a client_credentials token. */
  readonly sub: string;
  /** `client_id`, else `azp`; '' when neither is present. */
  readonly clientId: string;
  /** `scope` split on spaces, else `scp`; empty when neither is present. */
  readonly scopes: readonly string[];
  /** `roles` (RFC 9068 §2.2.3.1): the claim's own array; empty when absent. */
  readonly roles: readonly string[];
  /** `permissions`: the claim's own array; empty when absent. */
  readonly permissions: readonly string[];
}

const TIME_CLAIMS = ['exp', 'iat', 'nbf', 'auth_time'] as const;
/** Identifiers: strings without control characters when present (`sub` is required and non-empty). */
const ID_CLAIMS = ['client_id', 'azp', 'jti', 'sid'] as const;
const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Checks the claim types of an access token (RFC 9068 §2.2, RFC 7519 §4.1) and reads what it
 * grants. Checks that:
 * - `sub` is a non-empty string;
 * - `client_id`, `azp`, `jti` and `sid` are strings when present, and none of them or `sub` holds a
 *   control character (`hasControlCharacter`);
 * - `exp`, `iat`, `nbf` and `auth_time` are NumericDates when present: whole seconds from 0 to
 *   `MAX_NUMERIC_DATE` (RFC 7519 allows fractions; no issuer of access tokens writes them);
 * - `scope` is a string when present, and `scp`, `roles` and `permissions` arrays of strings.
 * A claim of the wrong type makes the token invalid (`OAuthError('invalid_token')`) rather than
 * being read loosely. It does NOT check the signature, `iss`, `aud`, times against the clock or
 * which claims are required (`checkClaims` and `ACCESS_TOKEN_REQUIRED_CLAIMS` do), nor what the
 * values mean. `claims` is not changed; the lists returned for `roles`, `permissions` and `scp`
 * are the claims' own arrays.
 */
export function readAccessTokenClaims(claims: Record<string, unknown>): AccessTokenClaims {
  const { sub } = claims;
  if (typeof sub !== 'string' || sub === '') fail('sub claim is missing');
  if (hasControlCharacter(sub)) fail('sub claim holds a control character');
  for (const name of ID_CLAIMS) checkIdentifier(claims, name);
  for (const name of TIME_CLAIMS) checkNumericDate(claims, name);
  const clientId = claims.client_id ?? claims.azp ?? '';
  return {
    sub,
    clientId: clientId as string,
    scopes: readScopes(claims),
    roles: readList(claims, 'roles'),
    permissions: readList(claims, 'permissions'),
  };
}

function checkIdentifier(claims: Record<string, unknown>, name: string): void {
  const value = claims[name];
  if (value === undefined) return;
  if (typeof value !== 'string') fail(`${name} claim must be a string`);
  if (hasControlCharacter(value)) fail(`${name} claim holds a control character`);
}

function checkNumericDate(claims: Record<string, unknown>, name: string): void {
  const value = claims[name];
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_NUMERIC_DATE) {
    fail(`${name} claim must be whole seconds since the epoch`);
  }
}

function readScopes(claims: Record<string, unknown>): readonly string[] {
  const scp = readList(claims, 'scp');
  const scope = claims.scope;
  if (scope === undefined) return scp;
  if (typeof scope !== 'string') fail('scope claim must be a string');
  // One scope (the common case) needs no split: splitting a parsed (not interned) string costs
  // about a microsecond per token.
  if (!scope.includes(' ')) return scope === '' ? EMPTY : [scope];
  return scope.split(' ').filter((s) => s !== '');
}

function readList(claims: Record<string, unknown>, name: string): readonly string[] {
  const value = claims[name];
  if (value === undefined) return EMPTY;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    fail(`${name} claim must be an array of strings`);
  }
  return value as string[];
}

function fail(description: string): never {
  throw new OAuthError('invalid_token', description);
}
