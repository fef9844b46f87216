import { computeAtHash, encryptCompact, importKey, randomToken } from '@warden/protocol';
import type { ServerConfig } from '../config.js';
import { nowSeconds } from '../config.js';
import type { KeyManager } from '../keys/key-manager.js';
import type { Api, User } from '../storage/storage.js';
import { claimsForScopes } from './user-claims.js';

/** What an access token is issued for. */
export interface AccessGrant {
  clientId: string;
  /** The user, or null when a client acts for itself (client_credentials). */
  userId: string | null;
  scopes: string[];
  /** The API the token is for; null when it only reaches userinfo. */
  api: Api | null;
  sid?: string;
  authTime?: number;
  /** The token id to use instead of a random one. */
  jti?: string | undefined;
}

export interface IssuedAccessToken {
  token: string;
  jti: string;
  expiresIn: number;
  exp: number;
}

export interface IdTokenInput {
  clientId: string;
  user: User;
  scopes: string[];
  sid: string;
  authTime: number;
  nonce?: string | undefined;
  accessToken?: string;
}

/** The algorithm id tokens are signed with (OIDC's mandatory one). */
export const idTokenAlg = 'RS256';

/**
 * Mints the tokens of this issuer: RFC 9068 access tokens (signed with the API's algorithm and,
 * when the API asks for it, then encrypted to the API's key) and OIDC id tokens.
 */
export class TokenIssuer {
  readonly #config: ServerConfig;
  readonly #keys: KeyManager;

  constructor(config: ServerConfig, keys: KeyManager) {
    this.#config = config;
    this.#keys = keys;
  }

  async accessToken(grant: AccessGrant): Promise<IssuedAccessToken> {
    const { storage } = this.#config;
    const iat = nowSeconds(this.#config);
    const expiresIn = grant.api?.accessTokenTtl ?? this.#config.ttl.accessToken;
    const jti = grant.jti ?? randomToken(16);
    const audience: string[] = [];
    if (grant.api) audience.push(grant.api.identifier);
    if (grant.scopes.includes('openid') && !grant.api?.encryption)
      audience.push(this.#config.userinfoAudience);
    const claims: Record<string, unknown> = {
      iss: this.#config.issuer,
      sub: grant.userId ?? grant.clientId,
      aud: audience.length === 1 ? audience[0] : audience,
      iat,
      exp: iat + expiresIn,
      jti,
      client_id: grant.clientId,
      scope: grant.scopes.join(' '),
    };
    if (grant.sid) claims.sid = grant.sid;
    if (grant.authTime !== undefined) claims.auth_time = grant.authTime;
    if (grant.api?.rbac && grant.userId) {
      const roles = await storage.roles.forUser(grant.userId);
      const api = grant.api.identifier;
      claims.roles = roles.map((role) => role.name);
      claims.permissions = [
        ...new Set(
          roles.flatMap((role) => role.permissions.filter((p) => p.api === api).map((p) => p.permission)),
        ),
      ];
    }
    const alg = grant.api?.signingAlg ?? 'RS256';
    let token = (await this.#keys.signer(alg))(claims, { typ: 'at+jwt' });
    if (grant.api?.encryption) {
      const { alg: keyAlg, publicJwk } = grant.api.encryption;
      const key = await importKey({ ...publicJwk, alg: keyAlg });
      token = await encryptCompact(token, key, { alg: keyAlg, enc: 'A256GCM', cty: 'JWT', typ: 'at+jwt' });
    }
    return { token, jti, expiresIn, exp: iat + expiresIn };
  }

  async idToken(input: IdTokenInput): Promise<string> {
    const iat = nowSeconds(this.#config);
    const claims: Record<string, unknown> = {
      iss: this.#config.issuer,
      sub: input.user.id,
      aud: input.clientId,
      iat,
      exp: iat + this.#config.ttl.idToken,
      auth_time: input.authTime,
      sid: input.sid,
      ...claimsForScopes(input.user, input.scopes),
    };
    if (input.nonce) claims.nonce = input.nonce;
    if (input.accessToken) claims.at_hash = await computeAtHash(input.accessToken, idTokenAlg);
    return (await this.#keys.signer(idTokenAlg))(claims, { typ: 'JWT' });
  }
}
