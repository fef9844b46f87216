import { readAccessTokenClaims } from '@warden/protocol';

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
 * Builds the principal of a token whose signature and registered claims were already verified,
 * with protocol's `readAccessTokenClaims`: `sub` a non-empty string, `client_id`, `azp`, `jti`,
 * `sid` and `scope` strings, identifiers without control characters, `exp`, `iat`, `nbf` whole
 * seconds, `scp`, `roles` and `permissions` arrays of strings when present; a claim of the wrong
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
  const read = readAccessTokenClaims(claims);
  return Object.freeze({
    sub: read.sub,
    clientId: read.clientId,
    scopes: Object.freeze(read.scopes),
    roles: Object.freeze(read.roles),
    permissions: Object.freeze(read.permissions),
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
