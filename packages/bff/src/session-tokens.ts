import type { TokenResponse } from '@warden/protocol/client';
import { decodeJwt, OAuthError } from '@warden/protocol/core';
import type { IdTokenClaims } from '@warden/protocol/jwt';
import type { SessionData, SessionManager, SessionRecord } from '@warden/session';
import type { IdpClient } from './idp-client.js';

/** The tokens a BFF session keeps; they never leave the server. */
export interface StoredTokens {
  accessToken: string;
  refreshToken?: string;
  idToken: string;
  /** Epoch milliseconds: when the token response arrived plus `expires_in`. */
  expiresAt: number;
  /**
   * Epoch milliseconds from which the token is refreshed before use: `refreshSkew` before expiry,
   * but never earlier than half its lifetime (a short-lived token is not refreshed on every call).
   */
  refreshAt: number;
  scope: string;
}

/** What a BFF session holds: the tokens and the user's profile from the id_token. */
export interface BffSessionData extends SessionData {
  tokens: StoredTokens;
  user: Record<string, unknown>;
}

/** Profile claims from the id_token that the app may show; protocol claims stay out. */
const PROTOCOL_CLAIMS = new Set([
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'nonce',
  'at_hash',
  'c_hash',
  'azp',
  'sid',
  'auth_time',
  'acr',
  'amr',
  'jti',
]);

export function toStoredTokens(
  tokens: TokenResponse,
  now: number,
  refreshSkew: number,
  previous?: StoredTokens,
): StoredTokens {
  const refreshToken = tokens.refresh_token ?? previous?.refreshToken;
  const lifetime = tokens.expires_in * 1000;
  return {
    accessToken: tokens.access_token,
    ...(refreshToken !== undefined && { refreshToken }),
    idToken: tokens.id_token ?? previous?.idToken ?? '',
    expiresAt: now + lifetime,
    refreshAt: now + Math.max(lifetime / 2, lifetime - refreshSkew * 1000),
    scope: tokens.scope ?? previous?.scope ?? '',
  };
}

export function profileOf(claims: IdTokenClaims): Record<string, unknown> {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !PROTOCOL_CLAIMS.has(name)));
}

/** The session's data when it is a BFF session, else `undefined` (a foreign or damaged record). */
export function readSessionData(record: SessionRecord): BffSessionData | undefined {
  const { tokens, user } = record.data as Partial<BffSessionData>;
  if (typeof tokens?.accessToken !== 'string' || typeof tokens.expiresAt !== 'number') return undefined;
  if (typeof user !== 'object' || user === null) return undefined;
  return record.data as BffSessionData;
}

/** What the app may know about the access token: its grants, never the token. */
export function describeAccess(tokens: StoredTokens): Record<string, unknown> {
  let payload: Record<string, unknown> = {};
  try {
    payload = decodeJwt(tokens.accessToken).payload;
  } catch {
    // An encrypted (JWE) access token cannot be read here; the grants stay unknown to the app.
  }
  return {
    scope: tokens.scope,
    expiresAt: Math.floor(tokens.expiresAt / 1000),
    ...(Array.isArray(payload.roles) && { roles: payload.roles }),
    ...(Array.isArray(payload.permissions) && { permissions: payload.permissions }),
  };
}

/**
 * Hands out the session's access token, refreshing it first once its `refreshAt` has come (`skew`
 * seconds before expiry, or half-way through a shorter life).
 * Concurrent requests of one session share one refresh in this process; the idp's retry grace
 * covers two processes refreshing at once. A refused refresh ends the session (`login_required`).
 */
export function createTokenKeeper(
  sessions: SessionManager,
  idp: IdpClient,
  clock: () => number,
  skew: number,
) {
  const inFlight = new Map<string, Promise<StoredTokens>>();

  async function refresh(
    sessionId: string,
    record: SessionRecord,
    data: BffSessionData,
  ): Promise<StoredTokens> {
    const { refreshToken } = data.tokens;
    if (!refreshToken) {
      await sessions.destroy(sessionId);
      throw new OAuthError('login_required', 'the session has expired', { status: 401 });
    }
    let answer: TokenResponse;
    try {
      answer = await idp.refresh(refreshToken, record.userId);
    } catch (error) {
      if (error instanceof OAuthError && error.error === 'invalid_grant') {
        await sessions.destroy(sessionId);
        throw new OAuthError('login_required', 'the session has ended at the identity provider', {
          status: 401,
        });
      }
      throw error;
    }
    const tokens = toStoredTokens(answer, clock(), skew, data.tokens);
    const updated = await sessions.update(sessionId, (current) => ({ ...current, tokens }));
    if (!updated) throw new OAuthError('login_required', 'the session has ended', { status: 401 });
    return tokens;
  }

  return {
    async accessToken(sessionId: string, record: SessionRecord, data: BffSessionData): Promise<string> {
      const { refreshAt = data.tokens.expiresAt - skew * 1000 } = data.tokens;
      if (clock() < refreshAt) return data.tokens.accessToken;
      let pending = inFlight.get(record.idHash);
      if (!pending) {
        pending = refresh(sessionId, record, data).finally(() => inFlight.delete(record.idHash));
        inFlight.set(record.idHash, pending);
      }
      return (await pending).accessToken;
    },
  };
}

export type TokenKeeper = ReturnType<typeof createTokenKeeper>;
