import { randomToken } from '@warden/protocol';
import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import type { Client, User } from '../storage/storage.js';
import { hashToken } from '../tokens/hash-token.js';

/** The JSON body of a successful token response (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
export interface TokenResponseBody {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

export interface UserGrant {
  client: Client;
  user: User;
  scopes: string[];
  audience: string | null;
  sid: string;
  authTime: number;
  nonce?: string | undefined;
  /** The access token's id, when the caller must know it in advance; random otherwise. */
  jti?: string | undefined;
  /**
   * The refresh token family to continue (a rotation always yields a successor), or undefined to
   * start one when `offline_access` was granted.
   */
  familyId?: string | undefined;
}

export interface IssuedUserTokens {
  body: TokenResponseBody;
  jti: string;
  exp: number;
  /** The new refresh token, to be stored by the caller. */
  refresh?: { token: string; hash: string; familyId: string; expiresAt: number };
}

/** Clients that may hold refresh tokens (m2m clients get new access tokens directly). */
export function canRefresh(client: Client): boolean {
  return client.type !== 'm2m';
}

/**
 * Issues what a user grant yields: an access token for the API (or userinfo), an id token when
 * `openid` was granted, and a new refresh token of the family when `offline_access` was granted.
 */
export async function issueUserTokens(ctx: ServerContext, grant: UserGrant): Promise<IssuedUserTokens> {
  const api = grant.audience ? await ctx.registry.api(grant.audience) : undefined;
  const access = await ctx.tokens.accessToken({
    clientId: grant.client.clientId,
    userId: grant.user.id,
    scopes: grant.scopes,
    api: api ?? null,
    sid: grant.sid,
    authTime: grant.authTime,
    jti: grant.jti,
  });
  const body: TokenResponseBody = {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: grant.scopes.join(' '),
  };
  if (grant.scopes.includes('openid')) {
    body.id_token = await ctx.tokens.idToken({
      clientId: grant.client.clientId,
      user: grant.user,
      scopes: grant.scopes,
      sid: grant.sid,
      authTime: grant.authTime,
      nonce: grant.nonce,
      accessToken: access.token,
    });
  }
  const issued: IssuedUserTokens = { body, jti: access.jti, exp: access.exp };
  const refreshable = grant.familyId !== undefined || grant.scopes.includes('offline_access');
  if (refreshable && canRefresh(grant.client)) {
    const token = randomToken(32);
    const familyId = grant.familyId ?? randomToken(16);
    const expiresAt = nowSeconds(ctx.config) + ctx.config.ttl.refreshToken;
    issued.refresh = { token, hash: hashToken(token), familyId, expiresAt };
    body.refresh_token = token;
  }
  return issued;
}
