import {
  fetchMetadata,
  type ProviderMetadata,
  requestTokens,
  type TokenResponse,
} from '@warden/protocol/client';
import { OAuthError } from '@warden/protocol/core';
import { createIdTokenVerifier, type IdTokenClaims, type IdTokenVerifier } from '@warden/protocol/jwt';
import type { BffConfig } from './bff-options.js';

/** What the backend-for-frontend asks of the authorization server, as a confidential client. */
export interface IdpClient {
  metadata(): Promise<ProviderMetadata>;
  /** Exchanges an authorization code (with its PKCE verifier) and verifies the id_token against `nonce`. */
  exchangeCode(
    code: string,
    verifier: string,
    nonce: string,
  ): Promise<{ tokens: TokenResponse; claims: IdTokenClaims }>;
  /** Refresh grant; the id_token, when the idp sends one, must name the same `sub`. */
  refresh(refreshToken: string, subject: string): Promise<TokenResponse>;
  /** RFC 7009; failures are swallowed (logout must not depend on the idp answering). */
  revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void>;
}

/** An `IdpClient` that fetches the metadata once (again after a failure) and verifies id_tokens with the JWKS. */
export function createIdpClient(
  config: BffConfig,
  fetch: typeof globalThis.fetch,
  clock: () => number,
): IdpClient {
  let metadata: Promise<ProviderMetadata> | undefined;
  let verifier: IdTokenVerifier | undefined;
  const authorization = `Basic ${Buffer.from(
    `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`,
  ).toString('base64')}`;

  const discover = (): Promise<ProviderMetadata> => {
    if (!metadata) {
      metadata = fetchMetadata(config.issuer, fetch);
      metadata.catch(() => {
        metadata = undefined;
      });
    }
    return metadata;
  };

  const idTokens = async (): Promise<IdTokenVerifier> => {
    const { jwks_uri, id_token_signing_alg_values_supported: algorithms } = await discover();
    verifier ??= createIdTokenVerifier({
      issuer: config.issuer,
      clientId: config.clientId,
      leeway: 30,
      ...(Array.isArray(algorithms) && { algorithms }),
      fetchJwks: async () => {
        const response = await fetch(jwks_uri, { headers: { accept: 'application/json' } });
        if (!response.ok) throw new OAuthError('temporarily_unavailable', 'the JWKS cannot be fetched');
        return response.json();
      },
    });
    return verifier;
  };

  const token = async (fields: Record<string, string>): Promise<TokenResponse> =>
    requestTokens(fetch, (await discover()).token_endpoint, fields, { authorization });

  return {
    metadata: discover,
    async exchangeCode(code, codeVerifier, nonce) {
      const tokens = await token({
        grant_type: 'authorization_code',
        code,
        redirect_uri: config.redirectUri,
        code_verifier: codeVerifier,
      });
      if (!tokens.id_token) throw new OAuthError('server_error', 'the token response has no id_token');
      const claims = await (await idTokens()).verify(tokens.id_token, {
        nonce,
        accessToken: tokens.access_token,
        now: clock(),
      });
      return { tokens, claims };
    },
    async refresh(refreshToken, subject) {
      const tokens = await token({ grant_type: 'refresh_token', refresh_token: refreshToken });
      if (tokens.id_token) {
        await (await idTokens()).verify(tokens.id_token, {
          subject,
          accessToken: tokens.access_token,
          now: clock(),
        });
      }
      return tokens;
    },
    async revoke(value, hint) {
      try {
        const endpoint = (await discover()).revocation_endpoint;
        if (!endpoint) return;
        await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
          body: new URLSearchParams({ token: value, token_type_hint: hint }).toString(),
        });
      } catch {
        // The idp's own session logout and short token lifetimes cover a revocation that failed.
      }
    },
  };
}
