import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { authorizeUrl, issuer, pkce, spaCallback, spaOrigin, useTestServer } from './harness.js';
import {
  expectOAuthError,
  postForm,
  publishedKids,
  refreshAsSpa,
  spaTokens,
  type TokenBody,
  userinfo,
  verifyWithJwks,
} from './token-helpers.js';

interface Jwks {
  keys: Record<string, unknown>[];
}

describe('discovery and JWKS', () => {
  const t = useTestServer();

  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    it(`publishes the metadata at ${path}`, async () => {
      const response = await t().request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer,
        authorization_endpoint: `${issuer}authorize`,
        token_endpoint: `${issuer}oauth/token`,
        userinfo_endpoint: `${issuer}userinfo`,
        jwks_uri: `${issuer}.well-known/jwks.json`,
        revocation_endpoint: `${issuer}oauth/revoke`,
        introspection_endpoint: `${issuer}oauth/introspect`,
        end_session_endpoint: `${issuer}logout`,
        code_challenge_methods_supported: ['S256'],
        authorization_response_iss_parameter_supported: true,
        id_token_signing_alg_values_supported: ['RS256'],
        subject_types_supported: ['public'],
      });
      expect(metadata.response_types_supported).toContain('code');
      expect(metadata.grant_types_supported).toEqual(
        expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']),
      );
      expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'read:dragons']));
      expect(metadata.token_endpoint_auth_methods_supported).toEqual(
        expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'none']),
      );
    });
  }

  it('publishes the current and next RS256 key with a max-age, and no private members', async () => {
    const response = await t().request('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/(^|[ ,])max-age=[1-9]\d*/);
    const { keys } = (await response.json()) as Jwks;
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
      expect(key.kid).toBeTypeOf('string');
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])
        expect(key).not.toHaveProperty(member);
    }
    expect(new Set(keys.map((key) => key.kid)).size).toBe(2);
  });

  it('signs with one of the published keys', async () => {
    const { body } = await spaTokens(t());
    const kid = decodeJwt(body.access_token).header.kid;
    expect(await publishedKids(t())).toContain(kid);
  });
});

describe('CORS', () => {
  const t = useTestServer();

  const stranger = 'https://evil.example';

  async function calls(origin: string): Promise<Response[]> {
    const { body } = await spaTokens(t());
    const refresh = (token: string) =>
      postForm(
        t(),
        '/oauth/token',
        { grant_type: 'refresh_token', client_id: t().spa, refresh_token: token },
        { origin },
      );
    return [
      await refresh(body.refresh_token!),
      await refresh('not-a-token'),
      await userinfo(t(), body.access_token, { origin }),
      await postForm(t(), '/oauth/revoke', { token: 'garbage', client_id: t().spa }, { origin }),
      await t().request('/.well-known/jwks.json', { headers: { origin } }),
      await t().request('/.well-known/openid-configuration', { headers: { origin } }),
    ];
  }

  it('lets the SPA origin call token, userinfo, revoke, JWKS and discovery', async () => {
    for (const response of await calls(spaOrigin)) {
      expect(response.headers.get('access-control-allow-origin')).toBe(spaOrigin);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(response.headers.get('vary')).toMatch(/origin/i);
    }
  });

  it('gives an unregistered origin no CORS headers', async () => {
    for (const response of await calls(stranger)) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  for (const path of ['/oauth/token', '/userinfo', '/oauth/revoke', '/.well-known/jwks.json']) {
    it(`answers the preflight of ${path}: 204 for the SPA, 403 for a stranger`, async () => {
      const preflight = (origin: string) =>
        t().request(path, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': path === '/.well-known/jwks.json' ? 'GET' : 'POST',
            'access-control-request-headers': 'content-type',
          },
        });
      const allowed = await preflight(spaOrigin);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(spaOrigin);
      expect(allowed.headers.get('access-control-allow-methods')).toBeTruthy();
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/content-type/i);
      const refused = await preflight(stranger);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    });
  }

  it('gives the introspection endpoint, which browsers never call, no CORS', async () => {
    const response = await t().request('/oauth/introspect', {
      method: 'OPTIONS',
      headers: { origin: spaOrigin },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('key rotation and revocation', () => {
  const t = useTestServer();

  it('rotates: the old key stays published, old tokens still verify, new tokens use the new kid', async () => {
    const { body } = await spaTokens(t());
    const oldKid = decodeJwt(body.access_token).header.kid;
    const before = await publishedKids(t());
    const [rotation] = await t().admin.rotateKeys();
    expect(rotation).toMatchObject({ alg: 'RS256', retired: oldKid });
    // The key published as next becomes current: verifiers already hold it.
    expect(before).toContain(rotation!.current);

    const after = await publishedKids(t());
    expect(after).toEqual(expect.arrayContaining([oldKid, rotation!.current, rotation!.next]));
    expect(after).toHaveLength(3);

    expect((await userinfo(t(), body.access_token)).status).toBe(200);
    await verifyWithJwks(t(), body.access_token, { typ: 'at+jwt' });

    const fresh = (await (await refreshAsSpa(t(), body.refresh_token!)).json()) as TokenBody;
    expect(decodeJwt(fresh.access_token).header.kid).toBe(rotation!.current);
    expect(decodeJwt(fresh.id_token!).header.kid).toBe(rotation!.current);
    expect((await userinfo(t(), fresh.access_token)).status).toBe(200);
  });

  it('drops a retired key once every token it signed has expired', async () => {
    const { body } = await spaTokens(t());
    const oldKid = decodeJwt(body.access_token).header.kid as string;
    await t().admin.rotateKeys();
    t().advance(3601);
    await t().admin.rotateKeys();
    expect(await publishedKids(t())).not.toContain(oldKid);
  });

  it('revokes all keys: old kids leave the JWKS, old tokens die, users sign in again', async () => {
    const { body, browser } = await spaTokens(t());
    const oldKids = await publishedKids(t());

    const silent = async () => {
      const { challenge } = await pkce();
      const response = await browser.get(
        authorizeUrl({
          client_id: t().spa,
          redirect_uri: spaCallback,
          scope: 'openid',
          prompt: 'none',
          state: 's',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );
      return new URL(response.headers.get('location')!).searchParams;
    };
    expect((await silent()).get('code')).toBeTruthy();

    const { revoked } = await t().admin.revokeAllKeys();
    expect(revoked).toEqual(expect.arrayContaining(oldKids));

    const now = await publishedKids(t());
    expect(now).toHaveLength(2);
    for (const kid of oldKids) expect(now).not.toContain(kid);

    const refused = await userinfo(t(), body.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await expectOAuthError(await refreshAsSpa(t(), body.refresh_token!), 'invalid_grant');

    const answer = await silent();
    expect(answer.get('error')).toBe('login_required');
    expect(answer.get('code')).toBeNull();

    // A fresh sign-in gets tokens signed with the new keys.
    const again = await spaTokens(t());
    expect(now).toContain(decodeJwt(again.body.access_token).header.kid);
    expect((await userinfo(t(), again.body.access_token)).status).toBe(200);
  });
});
