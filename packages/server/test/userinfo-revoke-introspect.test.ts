import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { apiId, basic, issuer, type TestServer, useTestServer } from './harness.js';
import {
  clientCredentials,
  exchangeWebCode,
  expectOAuthError,
  postForm,
  refreshAsSpa,
  refreshAsWeb,
  signInWeb,
  spaTokens,
  type TokenBody,
  userinfo,
  webBasic,
} from './token-helpers.js';

/** The m2m client's token for the Dragons API. */
async function m2mToken(t: TestServer): Promise<string> {
  const response = await clientCredentials(t, { audience: apiId });
  return ((await response.json()) as TokenBody).access_token;
}

function flipPayloadChar(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const index = Math.floor(payload.length / 2);
  const flipped = payload[index] === 'A' ? 'B' : 'A';
  return `${header}.${payload.slice(0, index)}${flipped}${payload.slice(index + 1)}.${signature}`;
}

describe('/userinfo', () => {
  const t = useTestServer();

  it('answers GET with the sub and the claims of the granted scopes', async () => {
    const { body } = await spaTokens(t());
    const response = await userinfo(t(), body.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      sub: t().userId,
      name: 'Bilbo Baggins',
      preferred_username: 'bilbo',
      email: 'user@example.com',
      email_verified: false,
    });
  });

  it('answers POST with the token in the form body', async () => {
    const { body } = await spaTokens(t(), { scope: 'openid email read:dragons' });
    const response = await postForm(t(), '/userinfo', { access_token: body.access_token });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: t().userId,
      email: 'user@example.com',
      email_verified: false,
    });
  });

  it('answers POST with the token in the Authorization header', async () => {
    const { body } = await spaTokens(t(), { scope: 'openid' });
    const response = await t().request('/userinfo', {
      method: 'POST',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: t().userId });
  });

  it('refuses a token sent both in the header and the body', async () => {
    const { body } = await spaTokens(t());
    const response = await postForm(
      t(),
      '/userinfo',
      { access_token: body.access_token },
      { authorization: `Bearer ${body.access_token}` },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('asks for credentials without an error code when no token is sent', async () => {
    const response = await t().request('/userinfo');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="warden"');
  });

  it('refuses a tampered token with invalid_token', async () => {
    const { body } = await spaTokens(t());
    const response = await userinfo(t(), flipPayloadChar(body.access_token));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="warden", error="invalid_token"/);
  });

  it('refuses an expired token', async () => {
    const { body } = await spaTokens(t());
    t().advance(599);
    expect((await userinfo(t(), body.access_token)).status).toBe(200);
    t().advance(2);
    const response = await userinfo(t(), body.access_token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses an m2m token, which is not meant for userinfo', async () => {
    const response = await userinfo(t(), await m2mToken(t()));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('refuses a user token issued without openid', async () => {
    const { body } = await spaTokens(t(), { scope: 'read:dragons offline_access' });
    const response = await userinfo(t(), body.access_token);
    expect(response.status).toBe(401);
  });

  it('refuses an id token', async () => {
    const { body } = await spaTokens(t());
    expect((await userinfo(t(), body.id_token!)).status).toBe(401);
  });
});

describe('/oauth/revoke', () => {
  const t = useTestServer();

  const revokeAsSpa = (token: string, hint?: string) =>
    postForm(t(), '/oauth/revoke', { token, client_id: t().spa, ...(hint ? { token_type_hint: hint } : {}) });

  it('revokes an access token: userinfo refuses it afterwards', async () => {
    const { body } = await spaTokens(t());
    expect((await userinfo(t(), body.access_token)).status).toBe(200);
    const response = await revokeAsSpa(body.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const refused = await userinfo(t(), body.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // Other tokens of the same sign-in still work.
    const next = (await (await refreshAsSpa(t(), body.refresh_token!)).json()) as TokenBody;
    expect((await userinfo(t(), next.access_token)).status).toBe(200);
  });

  it('revokes a refresh token with its whole family', async () => {
    const { body } = await spaTokens(t());
    const second = (await (await refreshAsSpa(t(), body.refresh_token!)).json()) as TokenBody;
    t().advance(11);
    expect((await revokeAsSpa(second.refresh_token!, 'refresh_token')).status).toBe(200);
    await expectOAuthError(await refreshAsSpa(t(), second.refresh_token!), 'invalid_grant');
  });

  it('revokes the family when a spent ancestor is revoked', async () => {
    const { body } = await spaTokens(t());
    const second = (await (await refreshAsSpa(t(), body.refresh_token!)).json()) as TokenBody;
    expect((await revokeAsSpa(body.refresh_token!)).status).toBe(200);
    await expectOAuthError(await refreshAsSpa(t(), second.refresh_token!), 'invalid_grant');
  });

  it('answers 200 for garbage, unknown and wrongly hinted tokens', async () => {
    for (const token of ['garbage', 'a.b.c', 'x'.repeat(43)]) {
      expect((await revokeAsSpa(token)).status).toBe(200);
      expect((await revokeAsSpa(token, 'access_token')).status).toBe(200);
    }
  });

  it("does not revoke another client's tokens", async () => {
    const { body } = await spaTokens(t());
    for (const token of [body.access_token, body.refresh_token!]) {
      const response = await postForm(t(), '/oauth/revoke', { token }, { authorization: webBasic(t()) });
      expect(response.status).toBe(200);
    }
    expect((await userinfo(t(), body.access_token)).status).toBe(200);
    expect((await refreshAsSpa(t(), body.refresh_token!)).status).toBe(200);
  });

  it('requires client authentication', async () => {
    const { body } = await spaTokens(t());
    await expectOAuthError(
      await postForm(t(), '/oauth/revoke', { token: body.access_token }),
      'invalid_client',
      401,
    );
    await expectOAuthError(
      await postForm(
        t(),
        '/oauth/revoke',
        { token: body.access_token },
        { authorization: basic(t().web.client_id, 'x') },
      ),
      'invalid_client',
      401,
    );
    expect((await userinfo(t(), body.access_token)).status).toBe(200);
  });
});

describe('/oauth/introspect', () => {
  const t = useTestServer();

  async function introspect(token: string, authorization: string, hint?: string) {
    const response = await postForm(
      t(),
      '/oauth/introspect',
      { token, ...(hint ? { token_type_hint: hint } : {}) },
      { authorization },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as Record<string, unknown>;
  }

  const m2mBasic = (t: TestServer) => basic(t.m2m.client_id, t.m2m.client_secret);

  it('describes a live access token to a client authorized for its API, and to nobody else', async () => {
    const { body } = await spaTokens(t());
    const claims = decodeJwt(body.access_token).payload;
    const answer = await introspect(body.access_token, m2mBasic(t()));
    expect(answer).toMatchObject({
      active: true,
      token_type: 'Bearer',
      iss: issuer,
      sub: t().userId,
      client_id: t().spa,
      scope: body.scope,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
    });
    expect(answer.aud).toEqual([apiId, `${issuer}userinfo`]);
    expect(await introspect(body.access_token, webBasic(t()))).toEqual({ active: false });
  });

  it('describes an m2m token', async () => {
    const token = await m2mToken(t());
    expect(await introspect(token, m2mBasic(t()))).toMatchObject({
      active: true,
      sub: t().m2m.client_id,
      aud: apiId,
    });
  });

  it('says active false for revoked, expired and garbage tokens', async () => {
    const { body } = await spaTokens(t());
    const revoked = (await (await refreshAsSpa(t(), body.refresh_token!)).json()) as TokenBody;
    await postForm(t(), '/oauth/revoke', { token: revoked.access_token, client_id: t().spa });
    expect(await introspect(revoked.access_token, m2mBasic(t()))).toEqual({ active: false });
    expect(await introspect(body.access_token, m2mBasic(t()))).toMatchObject({ active: true });
    t().advance(601);
    expect(await introspect(body.access_token, m2mBasic(t()))).toEqual({ active: false });
    expect(await introspect('garbage', webBasic(t()))).toEqual({ active: false });
    expect(await introspect(flipPayloadChar(revoked.access_token), m2mBasic(t()))).toEqual({ active: false });
  });

  it('describes a refresh token to its own client only, and not once it is spent', async () => {
    const exchanged = await exchangeWebCode(t(), await signInWeb(t()));
    const body = (await exchanged.json()) as TokenBody;
    expect(await introspect(body.refresh_token!, webBasic(t()))).toMatchObject({
      active: true,
      token_type: 'refresh_token',
      client_id: t().web.client_id,
      sub: t().userId,
    });
    expect(await introspect(body.refresh_token!, m2mBasic(t()))).toEqual({ active: false });
    await refreshAsWeb(t(), body.refresh_token!);
    expect(await introspect(body.refresh_token!, webBasic(t()))).toEqual({ active: false });
  });

  it('refuses the public SPA with 401 invalid_client', async () => {
    const { body } = await spaTokens(t());
    const response = await postForm(t(), '/oauth/introspect', {
      token: body.access_token,
      client_id: t().spa,
    });
    await expectOAuthError(response, 'invalid_client', 401);
  });

  it('refuses unauthenticated and wrongly authenticated callers', async () => {
    const { body } = await spaTokens(t());
    await expectOAuthError(
      await postForm(t(), '/oauth/introspect', { token: body.access_token }),
      'invalid_client',
      401,
    );
    const wrong = await postForm(
      t(),
      '/oauth/introspect',
      { token: body.access_token },
      { authorization: basic(t().web.client_id, 'wrong') },
    );
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expectOAuthError(wrong, 'invalid_client', 401);
  });
});
