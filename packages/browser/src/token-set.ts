import type { IdTokenClaims } from '@warden/protocol/jwt';

/** The verified claims of an id_token. */
export type { IdTokenClaims };

/** What the client holds for a signed-in user. */
export interface TokenSet {
  accessToken: string;
  /** When the token response arrived, in milliseconds since the epoch (this browser's clock). */
  receivedAt: number;
  /** When the access token expires: `receivedAt` + `expires_in` (so a skewed clock does not matter). */
  expiresAt: number;
  scope: string;
  idToken: string;
  /** The rotating refresh token, when `useRefreshTokens` is on and the idp issued one. */
  refreshToken?: string;
  claims: IdTokenClaims;
}

/**
 * True when `value` has the shape of a `TokenSet` (read back from storage or received from
 * another tab). It checks types only; the tokens were verified when they were first received.
 */
export function isTokenSet(value: unknown): value is TokenSet {
  if (typeof value !== 'object' || value === null) return false;
  const tokens = value as Record<string, unknown>;
  const claims = tokens.claims as Record<string, unknown> | null | undefined;
  return (
    typeof tokens.accessToken === 'string' &&
    typeof tokens.receivedAt === 'number' &&
    typeof tokens.expiresAt === 'number' &&
    typeof tokens.scope === 'string' &&
    typeof tokens.idToken === 'string' &&
    (tokens.refreshToken === undefined || typeof tokens.refreshToken === 'string') &&
    typeof claims === 'object' &&
    claims !== null &&
    typeof claims.sub === 'string'
  );
}
