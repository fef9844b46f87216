import { OAuthError } from '@warden/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { userinfo } from '../../server/test/token-helpers.js';
import { apiOrigin, home, type SeenRequest, settle, spaOrigin, type Tab, World } from './world.js';

let world: World;
let tab: Tab;
beforeEach(async () => {
  world = await World.start();
  tab = world.openTab();
  await world.signIn(tab);
});
afterEach(() => world.close());

function lastRequestTo(origin: string): SeenRequest {
  const found = world.requests.filter((r) => r.url.origin === origin).at(-1);
  if (!found) throw new Error(`no request to ${origin}`);
  return found;
}

describe('client.fetch', () => {
  it('adds the bearer token to requests for the configured API origins only (exact origin)', async () => {
    const token = await tab.client.getAccessToken();
    const api = await tab.client.fetch(`${apiOrigin}/api/dragons`);
    expect(await api.json()).toEqual({ authorization: `Bearer ${token}` });

    const elsewhere = [
      'http://localhost:30011/api/dragons',
      'https://localhost:3001/api/dragons',
      'http://api.localhost:3001/api/dragons',
      'https://cdn.example/dragons.json',
      '/assets/dragons.json',
    ];
    for (const url of elsewhere) {
      await tab.client.fetch(url);
      const seen = world.requests.at(-1)!;
      expect(seen.url.href).toBe(new URL(url, home).href);
      expect(seen.headers.get('authorization')).toBeNull();
    }
    expect(world.requests.at(-1)!.url.origin).toBe(spaOrigin);
  });

  it('keeps the method, body and headers of the request, given as a Request or as init', async () => {
    world.api = async (request) =>
      Response.json({
        method: request.method,
        body: await request.text(),
        type: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
      });
    const viaInit = await tab.client.fetch(`${apiOrigin}/api/dragons`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Smaug"}',
    });
    expect(await viaInit.json()).toMatchObject({
      method: 'POST',
      body: '{"name":"Smaug"}',
      type: 'application/json',
      authorization: expect.stringMatching(/^Bearer ey/),
    });
    const viaRequest = await tab.client.fetch(new Request(`${apiOrigin}/api/dragons`, { method: 'DELETE' }));
    expect(await viaRequest.json()).toMatchObject({
      method: 'DELETE',
      authorization: expect.stringMatching(/^Bearer/),
    });
  });

  it('retries a 401 once with a renewed token', async () => {
    const refused = await tab.client.getAccessToken();
    world.api = async (request) =>
      request.headers.get('authorization') === `Bearer ${refused}`
        ? new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
        : Response.json({ body: await request.text() });

    const response = await tab.client.fetch(`${apiOrigin}/api/dragons`, { method: 'POST', body: 'again' });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ body: 'again' });
    expect(world.grants('refresh_token')).toHaveLength(1);
    expect(lastRequestTo(apiOrigin).headers.get('authorization')).not.toBe(`Bearer ${refused}`);
  });

  it('signs the tab out and rejects with the API challenge after a second 401', async () => {
    world.api = () =>
      new Response(null, {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer realm="api", error="invalid_token", error_description="the token was revoked"',
        },
      });

    const error = await tab.client.fetch(`${apiOrigin}/api/dragons`).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      error: 'invalid_token',
      status: 401,
      description: 'the token was revoked',
    });
    expect((error as OAuthError).cause).toBeInstanceOf(Response);
    expect(world.requests.filter((r) => r.url.origin === apiOrigin)).toHaveLength(2);
    expect(tab.client.getState()).toMatchObject({ isAuthenticated: false, error });
  });

  it('rejects a 403 with insufficient_scope and the scope the API wants, staying signed in', async () => {
    world.api = () =>
      new Response('{"message":"admins only"}', {
        status: 403,
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="read:orders"' },
      });

    const error = (await tab.client.fetch(`${apiOrigin}/api/orders`).catch((e: unknown) => e)) as OAuthError;

    expect(error).toMatchObject({ error: 'insufficient_scope', status: 403, scope: 'read:orders' });
    expect(await (error.cause as Response).json()).toEqual({ message: 'admins only' });
    expect(tab.client.getState().isAuthenticated).toBe(true);
    expect(world.grants('refresh_token')).toHaveLength(0);
  });

  it('passes other errors through as responses', async () => {
    world.api = () => new Response('gone', { status: 404 });
    expect((await tab.client.fetch(`${apiOrigin}/api/nothing`)).status).toBe(404);
  });

  it('sends nothing to an API when no user is signed in', async () => {
    const anonymous = world.openTab({}, { isolated: true });
    const before = world.requests.length;
    await expect(anonymous.client.fetch(`${apiOrigin}/api/dragons`)).rejects.toMatchObject({
      error: 'login_required',
    });
    expect(world.requests).toHaveLength(before);
  });
});

describe('logout', () => {
  it('signs out every tab and sends the browser to end_session with id_token_hint, post_logout_redirect_uri and state', async () => {
    const other = world.openTab();
    expect(await other.client.start()).toEqual({ outcome: 'restored' });
    const { id_token: idToken, refresh_token: refreshToken } = world.issued.at(-1)!;

    await tab.client.logout();
    await settle();

    expect(tab.client.getState()).toMatchObject({
      isAuthenticated: false,
      isLoading: false,
      user: undefined,
    });
    expect(other.client.getState()).toMatchObject({
      isAuthenticated: false,
      isLoading: false,
      user: undefined,
    });
    await expect(other.client.getAccessToken()).rejects.toMatchObject({ error: 'login_required' });

    const url = new URL(tab.win.lastNavigation());
    expect(`${url.origin}${url.pathname}`).toBe(`${world.t.issuer}logout`);
    expect(url.searchParams.get('id_token_hint')).toBe(idToken);
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe(home);
    expect(url.searchParams.get('client_id')).toBe(world.t.spa);
    const state = url.searchParams.get('state');
    expect(state).toBeTruthy();

    // The refresh token is revoked before leaving.
    const revoke = world.requests.find((r) => r.url.pathname === '/oauth/revoke');
    expect(revoke?.form?.get('token')).toBe(refreshToken);

    // At the idp: the hint matches the session, so the user is signed out at once and sent back.
    const response = await world.idp.get(url.href);
    expect(response.status).toBe(303);
    const back = new URL(response.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(state);

    // Back in the app: the address bar loses the state and no silent sign-in is attempted.
    tab.win.location.href = back.href;
    const landed = world.openTab({}, { href: back.href, sessionStorage: tab.win.sessionStorage });
    expect(await landed.client.start()).toEqual({ outcome: 'signed-out' });
    expect(landed.win.location.href).toBe(home);
    expect(landed.win.navigations).toEqual([]);
    expect(landed.win.sessionStorage.keys()).not.toContain(`warden:${world.t.spa}:logout`);

    // The idp session is gone: a new sign-in needs the password again.
    await landed.client.login();
    const login = await world.idp.get(landed.win.lastNavigation());
    expect(login.headers.get('location')).toContain('/u/login');
  });

  it('revokes the access token too, so it is refused even while the idp session lives on', async () => {
    const { access_token: accessToken } = world.issued.at(-1)!;
    expect((await userinfo(world.t, accessToken)).status).toBe(200);

    await tab.client.logout();

    const revoked = world.requests.filter((r) => r.url.pathname === '/oauth/revoke');
    expect(revoked.map((r) => r.form?.get('token_type_hint')).sort()).toEqual([
      'access_token',
      'refresh_token',
    ]);
    expect(revoked.find((r) => r.form?.get('token_type_hint') === 'access_token')?.form?.get('token')).toBe(
      accessToken,
    );
    // The browser has not reached the idp's logout yet (its session still stands): the refusal
    // comes from the revocation alone.
    expect((await userinfo(world.t, accessToken)).status).toBe(401);
  });

  it('goes to the given returnTo when it is a registered logout URL', async () => {
    await tab.client.logout({ returnTo: 'http://localhost:4200/' });
    expect(new URL(tab.win.lastNavigation()).searchParams.get('post_logout_redirect_uri')).toBe(
      'http://localhost:4200/',
    );
  });
});
