import { OAuthError } from '@warden/protocol';

/** Who is calling, as one verified token (or, later, a session) says. */
export interface Principal {
  /** The user, or the client itself for a client_credentials token. */
  readonly sub: string;
  /** The OAuth client the token was issued to (`client_id`, else `azp`); '' when neither is present. */
  readonly clientId: string;
  /** The granted scopes (`scope`, space-separated; `scp` as an array for issuers that use it). */
  readonly scopes: readonly string[];
  /** `roles` (RFC 9068 §2.2.3.1), when the API asked the issuer for them. */
  readonly roles: readonly string[];
  /** `permissions`, when the API asked the issuer for them. */
  readonly permissions: readonly string[];
  /** Every claim of the verified token. */
  readonly claims: Readonly<Record<string, unknown>>;
  readonly via: 'bearer' | 'session';
}

/**
 * Builds the principal of a token whose signature and registered claims were already verified.
 * Checks that `sub` is a non-empty string, that `client_id`/`azp` and `scope` are strings and
 * that `scp`, `roles` and `permissions` are arrays of strings when present; a claim of the wrong
 * type makes the token invalid (`OAuthError('invalid_token')`) rather than being read loosely.
 * It does NOT check `iss`, `aud`, times or the signature. `claims` is copied, not changed.
 */
export function toPrincipal(claims: Record<string, unknown>, via: Principal['via']): Principal {
  return buildPrincipal(copyClaims(claims), via);
}

/**
 * `toPrincipal` for claims nobody else holds (a verified token's freshly parsed payload): they
 * are frozen in place and become the principal's `claims`, with their `roles`, `permissions`
 * and `scp` arrays, instead of being copied.
 */
export function toPrincipalOwning(claims: Record<string, unknown>, via: Principal['via']): Principal {
  return buildPrincipal(claims, via);
}

function buildPrincipal(claims: Record<string, unknown>, via: Principal['via']): Principal {
  const { sub } = claims;
  if (typeof sub !== 'string' || sub === '') fail('sub claim is missing');
  return Object.freeze({
    sub,
    clientId: readString(claims, 'client_id') ?? readString(claims, 'azp') ?? '',
    scopes: readScopes(claims),
    roles: readList(claims, 'roles'),
    permissions: readList(claims, 'permissions'),
    claims: Object.freeze(claims),
    via,
  });
}

/** A copy of the claims whose arrays read by the principal are copies too. */
function copyClaims(claims: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...claims };
  for (const name of LIST_CLAIMS) if (Array.isArray(copy[name])) copy[name] = [...(copy[name] as unknown[])];
  return copy;
}

const LIST_CLAIMS = ['roles', 'permissions', 'scp'] as const;

function readScopes(claims: Record<string, unknown>): readonly string[] {
  const scope = readString(claims, 'scope');
  if (scope === undefined) return readList(claims, 'scp');
  // One scope (the common case) needs no split: splitting a parsed (not interned) string costs
  // about a microsecond per token.
  if (!scope.includes(' ')) return Object.freeze(scope === '' ? [] : [scope]);
  return Object.freeze(scope.split(' ').filter((s) => s !== ''));
}

function readString(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail(`${name} claim must be a string`);
  return value;
}

function readList(claims: Record<string, unknown>, name: string): readonly string[] {
  const value = claims[name];
  if (value === undefined) return Object.freeze([]);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    fail(`${name} claim must be an array of strings`);
  }
  return Object.freeze(value as string[]);
}

function fail(description: string): never {
  throw new OAuthError('invalid_token', description);
}
