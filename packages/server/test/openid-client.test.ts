import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiId, CookieJar, hiddenFields, password, type TestServer } from './harness.js';
import { type HttpTestServer, startHttpTestServer } from './http-test-server.js';
import { webCallback } from './token-helpers.js';

/**
 * An external, certified relying party (openid-client) and resource-server library (oauth4webapi)
 * against the server over real HTTP, with the real clock.
 */
describe('openid-client and oauth4webapi against the server over HTTP', () => {
  let http: HttpTestServer;
  let t: TestServer;
  let issuer: string;
  let web: client.Configuration;
  let m2m: client.Configuration;

  beforeAll(async () => {
    http = await startHttpTestServer();
    ({ t, issuer } = http);
    const insecure = { execute: [client.allowInsecureRequests] };
    web = await client.discovery(new URL(issuer), t.web.client_id, t.web.client_secret, undefined, insecure);
    m2m = await client.discovery(new URL(issuer), t.m2m.client_id, t.m2m.client_secret, undefined, insecure);
  });
  afterAll(() => http.close());

  /** Drives the hosted login with fetch, the way a browser would, and returns the callback URL. */
  async function signIn(authorizationUrl: URL): Promise<URL> {
    const jar = new CookieJar();
    const get = async (url: string) => {
      const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(response);
      return response;
    };
    const toLogin = await get(authorizationUrl.href);
    expect(toLogin.status).toBe(303);
    const loginUrl = new URL(toLogin.headers.get('location')!, issuer);
    const page = await get(loginUrl.href);
    expect(page.status).toBe(200);
    const fields = { ...hiddenFields(await page.text()), login: 'user@example.com', password };
    const submitted = await fetch(new URL('/u/login', issuer), {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        origin: new URL(issuer).origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(fields),
    });
    jar.store(submitted);
    expect(submitted.status).toBe(303);
    const callback = new URL(submitted.headers.get('location')!);
    expect(`${callback.origin}${callback.pathname}`).toBe(webCallback);
    return callback;
  }

  async function codeFlow() {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(web, {
      redirect_uri: webCallback,
      scope: 'openid profile email offline_access read:dragons',
      audience: apiId,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const callback = await signIn(url);
    expect(callback.searchParams.get('iss')).toBe(issuer);
    return client.authorizationCodeGrant(web, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
  }

  async function expectInvalidGrant(promise: Promise<unknown>): Promise<void> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(client.ResponseBodyError);
    expect((error as client.ResponseBodyError).error).toBe('invalid_grant');
  }

  it('discovers the server', () => {
    const metadata = web.serverMetadata();
    expect(metadata.issuer).toBe(issuer);
    expect(metadata.supportsPKCE()).toBe(true);
    expect(metadata.token_endpoint).toBe(`${issuer}oauth/token`);
  });

  it('completes the code flow with PKCE; the id token passes validation', async () => {
    const tokens = await codeFlow();
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.refresh_token).toBeTypeOf('string');
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: issuer,
      sub: t.userId,
      aud: t.web.client_id,
      email: 'user@example.com',
    });
  });

  it('refuses a code whose state was tampered with, before any request', async () => {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(web, {
      redirect_uri: webCallback,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'expected',
    });
    const callback = await signIn(url);
    await expect(
      client.authorizationCodeGrant(web, callback, { pkceCodeVerifier: verifier, expectedState: 'other' }),
    ).rejects.toThrow();
  });

  it('refreshes with rotation; reuse of a spent token is refused and revokes the family', async () => {
    const first = await codeFlow();
    const second = await client.refreshTokenGrant(web, first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.claims()?.sub).toBe(t.userId);
    const third = await client.refreshTokenGrant(web, second.refresh_token!);
    // The successor of `first` has been used, so `first` is no longer a retry: it is a replay.
    await expectInvalidGrant(client.refreshTokenGrant(web, first.refresh_token!));
    await expectInvalidGrant(client.refreshTokenGrant(web, third.refresh_token!));
  });

  it('fetches userinfo, introspects, revokes', async () => {
    const tokens = await codeFlow();
    const info = await client.fetchUserInfo(web, tokens.access_token, t.userId);
    expect(info).toMatchObject({ sub: t.userId, name: 'Bilbo Baggins', email: 'user@example.com' });

    const live = await client.tokenIntrospection(web, tokens.access_token);
    expect(live).toMatchObject({ active: true, sub: t.userId, client_id: t.web.client_id });

    await client.tokenRevocation(web, tokens.access_token);
    expect(await client.tokenIntrospection(web, tokens.access_token)).toMatchObject({ active: false });
    const refused = await client.fetchUserInfo(web, tokens.access_token, t.userId).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(refused).toBeInstanceOf(client.WWWAuthenticateChallengeError);
    expect((refused as client.WWWAuthenticateChallengeError).cause[0]?.parameters.error).toBe(
      'invalid_token',
    );

    await client.tokenRevocation(web, tokens.refresh_token!, { token_type_hint: 'refresh_token' });
    await expectInvalidGrant(client.refreshTokenGrant(web, tokens.refresh_token!));
  });

  it('gets a client credentials token for the m2m client', async () => {
    const tokens = await client.clientCredentialsGrant(m2m, { audience: apiId, scope: 'read:dragons' });
    expect(tokens.scope).toBe('read:dragons');
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    const introspected = await client.tokenIntrospection(m2m, tokens.access_token);
    expect(introspected).toMatchObject({ active: true, sub: t.m2m.client_id, aud: apiId });
  });

  it("oauth4webapi's validateJwtAccessToken accepts user and m2m access tokens for the API", async () => {
    const as = await oauth.processDiscoveryResponse(
      new URL(issuer),
      await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }),
    );
    const atApi = (token: string) =>
      new Request('http://localhost:3001/api/dragons', { headers: { authorization: `Bearer ${token}` } });
    const options = { [oauth.allowInsecureRequests]: true };

    const user = await codeFlow();
    const userClaims = await oauth.validateJwtAccessToken(as, atApi(user.access_token), apiId, options);
    expect(userClaims).toMatchObject({ iss: issuer, sub: t.userId, client_id: t.web.client_id });

    const machine = await client.clientCredentialsGrant(m2m, { audience: apiId });
    const machineClaims = await oauth.validateJwtAccessToken(as, atApi(machine.access_token), apiId, options);
    expect(machineClaims).toMatchObject({ sub: t.m2m.client_id, aud: apiId });

    await expect(
      oauth.validateJwtAccessToken(as, atApi(machine.access_token), 'https://other.example/', options),
    ).rejects.toThrow();
  });
});
