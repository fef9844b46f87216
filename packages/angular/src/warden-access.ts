import { type BffAccess, decodeJwt } from '@warden/browser';

/**
 * What the signed-in user's access token grants, for the page to choose what to show: from the
 * token's claims in token mode, from the app server's `/bff/user` in cookie mode. For display only:
 * the API decides for itself.
 */
export interface WardenAccess {
  /** The granted scopes, space-separated. */
  scope: string;
  roles: readonly string[];
  permissions: readonly string[];
  /** Epoch seconds when the access token expires (the server renews it in cookie mode). */
  expiresAt: number | undefined;
}

/** The grants in an access token's claims (decoded, not verified); `undefined` for an unreadable (encrypted) token. */
export function accessFromToken(token: string): WardenAccess | undefined {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token).payload;
  } catch {
    return undefined;
  }
  return Object.freeze({
    scope: typeof claims.scope === 'string' ? claims.scope : '',
    roles: strings(claims.roles),
    permissions: strings(claims.permissions),
    expiresAt: typeof claims.exp === 'number' ? claims.exp : undefined,
  });
}

/** The grants `/bff/user` describes. */
export function accessFromBff(access: BffAccess | undefined): WardenAccess | undefined {
  if (access === undefined) return undefined;
  return Object.freeze({
    scope: typeof access.scope === 'string' ? access.scope : '',
    roles: strings(access.roles),
    permissions: strings(access.permissions),
    expiresAt: typeof access.expiresAt === 'number' ? access.expiresAt : undefined,
  });
}

function strings(value: unknown): readonly string[] {
  return Object.freeze(
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [],
  );
}
