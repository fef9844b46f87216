import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { apiId, issuer, signInWithCode, useTestServer } from './harness.js';
import {
  exchangeCode,
  exchangeWebCode,
  expectedAtHash,
  expectOAuthError,
  refreshAsSpa,
  signInWeb,
  spaTokens,
  type TokenBody,
  userinfo,
  verifyWithJwks,
  webBasic,
} from './token-helpers.js';

describe('authorization code exchange', () => {
  const t = useTestServer();

  it('returns an RFC 9068 access token for the API and userinfo', async () => {
    const { body } = await spaTokens(t());
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(body.scope.split(' ').sort()).toEqual(
      ['email', 'offline_access', 'openid', 'profile', 'read:dragons'].sort(),
    );
    const { header, payload } = await verifyWithJwks(t(), body.access_token, { typ: 'at+jwt' });
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    expect(header.kid).toBeTypeOf('string');
    expect(payload).toMatchObject({ iss: issuer, sub: t().userId, client_id: t().spa, scope: body.scope });
    expect(payload.aud).toEqual([apiId, `${issuer}userinfo`]);
    expect(Number(payload.exp) - Number(payload.iat)).toBe(600);
    expect(payload.iat).toBe(Math.floor(t().server.context.config.clock() / 1000));
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  });

  it('gives each access token its own jti', async () => {
    const first = await spaTokens(t());
    const second = await spaTokens(t(), { browser: first.browser });
    expect(decodeJwt(first.body.access_token).payload.jti).not.toBe(
      decodeJwt(second.body.access_token).payload.jti,
    );
  });

  it('returns an id token with the OIDC claims, nonce, at_hash and sid', async () => {
    const { body, nonce } = await spaTokens(t());
    const { header, payload } = await verifyWithJwks(t(), body.id_token!);
    expect(header.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: issuer,
      sub: t().userId,
      aud: t().spa,
      nonce,
      at_hash: expectedAtHash(body.access_token),
      name: 'Bilbo Baggins',
      preferred_username: 'bilbo',
      nickname: 'bilbo',
      email: 'user@example.com',
      email_verified: false,
    });
    const now = Math.floor(t().server.context.config.clock() / 1000);
    expect(payload.iat).toBe(now);
    expect(payload.exp).toBe(now + 3600);
    expect(payload.auth_time).toBe(now);
    expect(payload.sid).toBeTypeOf('string');
    expect(payload.sid).toBe(decodeJwt(body.access_token).payload.sid);
  });

  it('puts profile and email claims in the id token only for the granted scopes', async () => {
    const bare = await spaTokens(t(), { scope: 'openid read:dragons' });
    const bareClaims = decodeJwt(bare.body.id_token!).payload;
    for (const claim of ['name', 'nickname', 'preferred_username', 'updated_at', 'email', 'email_verified']) {
      expect(bareClaims).not.toHaveProperty(claim);
    }
    expect(bare.body.refresh_token).toBeUndefined();

    const emailOnly = await spaTokens(t(), { scope: 'openid email', browser: bare.browser });
    const emailClaims = decodeJwt(emailOnly.body.id_token!).payload;
    expect(emailClaims).toMatchObject({ email: 'user@example.com', email_verified: false });
    expect(emailClaims).not.toHaveProperty('name');
    expect(emailClaims).not.toHaveProperty('preferred_username');
  });

  it('gives no id token without openid', async () => {
    const { body } = await spaTokens(t(), { scope: 'read:dragons' });
    expect(body.id_token).toBeUndefined();
    expect(decodeJwt(body.access_token).payload.aud).toBe(apiId);
  });

  it("puts the admin's roles and permissions for the API in the access token", async () => {
    const { body } = await spaTokens(t(), { login: 'admin@example.com' });
    const { payload } = decodeJwt(body.access_token);
    expect(payload.sub).toBe(t().adminUserId);
    expect(payload.roles).toEqual(['admin']);
    expect(payload.permissions).toEqual(['read:orders']);
  });

  it('answers a replayed code with invalid_grant and revokes what the first exchange issued', async () => {
    const { code, verifier } = await signInWithCode(t());
    const first = await exchangeCode(t(), { code, verifier });
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as TokenBody;
    expect((await userinfo(t(), tokens.access_token)).status).toBe(200);

    await expectOAuthError(await exchangeCode(t(), { code, verifier }), 'invalid_grant');

    const refused = await userinfo(t(), tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await expectOAuthError(await refreshAsSpa(t(), tokens.refresh_token!), 'invalid_grant');
  });

  it('lets no usable token out when a code is exchanged twice at the same time', async () => {
    const { code, verifier } = await signInWithCode(t());
    const responses = await Promise.all([
      exchangeCode(t(), { code, verifier }),
      exchangeCode(t(), { code, verifier }),
    ]);
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as TokenBody[];
    expect(bodies.filter((body) => body.error === 'invalid_grant').length).toBeGreaterThanOrEqual(1);
    for (const body of bodies.filter((b) => b.access_token)) {
      expect((await userinfo(t(), body.access_token)).status).toBe(401);
      await expectOAuthError(await refreshAsSpa(t(), body.refresh_token!), 'invalid_grant');
    }
  });

  it('burns the code on a wrong code_verifier', async () => {
    const { code, verifier } = await signInWithCode(t());
    const wrong = `${verifier.slice(0, -1)}${verifier.endsWith('A') ? 'B' : 'A'}`;
    await expectOAuthError(await exchangeCode(t(), { code, verifier: wrong }), 'invalid_grant');
    await expectOAuthError(await exchangeCode(t(), { code, verifier }), 'invalid_grant');
  });

  it('requires the code_verifier when a challenge was sent', async () => {
    const { code, verifier } = await signInWithCode(t());
    await expectOAuthError(
      await exchangeCode(t(), { code, verifier }, { code_verifier: undefined }),
      'invalid_request',
    );
  });

  it('refuses a redirect_uri other than the one of the authorization request', async () => {
    const { code, verifier } = await signInWithCode(t());
    await expectOAuthError(
      await exchangeCode(t(), { code, verifier }, { redirect_uri: 'http://localhost:4200/other' }),
      'invalid_grant',
    );
    const { code: code2, verifier: verifier2 } = await signInWithCode(t());
    await expectOAuthError(
      await exchangeCode(t(), { code: code2, verifier: verifier2 }, { redirect_uri: undefined }),
      'invalid_grant',
    );
  });

  it('refuses a code older than 60 seconds', async () => {
    const { code, verifier } = await signInWithCode(t());
    t().advance(61);
    await expectOAuthError(await exchangeCode(t(), { code, verifier }), 'invalid_grant');
  });

  it('accepts a code 59 seconds old', async () => {
    const { code, verifier } = await signInWithCode(t());
    t().advance(59);
    expect((await exchangeCode(t(), { code, verifier })).status).toBe(200);
  });

  it("refuses another client's code", async () => {
    const { code, verifier } = await signInWithCode(t());
    const stolen = await exchangeCode(
      t(),
      { code, verifier },
      { client_id: t().web.client_id },
      { authorization: webBasic(t()) },
    );
    await expectOAuthError(stolen, 'invalid_grant');
  });

  it('refuses an unknown code', async () => {
    const { verifier } = await signInWithCode(t());
    await expectOAuthError(await exchangeCode(t(), { code: 'not-a-code', verifier }), 'invalid_grant');
  });

  it('lets the confidential web client exchange a code without PKCE', async () => {
    const response = await exchangeWebCode(t(), await signInWeb(t(), { withPkce: false }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as TokenBody;
    expect(decodeJwt(body.access_token).payload.client_id).toBe(t().web.client_id);
  });

  it('refuses a code_verifier for a code issued without a challenge (PKCE downgrade)', async () => {
    const flow = await signInWeb(t(), { withPkce: false });
    const response = await exchangeWebCode(t(), flow, { code_verifier: 'a'.repeat(43) });
    await expectOAuthError(response, 'invalid_grant');
  });

  it('sends Cache-Control: no-store on every answer of the token endpoint', async () => {
    const { code, verifier } = await signInWithCode(t());
    const ok = await exchangeCode(t(), { code, verifier });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(ok.headers.get('pragma')).toBe('no-cache');

    await expectOAuthError(await exchangeCode(t(), { code, verifier }), 'invalid_grant');
    await expectOAuthError(
      await exchangeCode(t(), { code: 'x', verifier }, { grant_type: 'password' }),
      'unsupported_grant_type',
    );
    await expectOAuthError(
      await exchangeCode(t(), { code: 'x', verifier }, { grant_type: undefined }),
      'invalid_request',
    );
    await expectOAuthError(
      await exchangeCode(t(), { code: 'x', verifier }, { client_id: 'nobody' }),
      'invalid_client',
      401,
    );
    const notForm = await t().request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code' }),
    });
    await expectOAuthError(notForm, 'invalid_request', 415);
  });
});
