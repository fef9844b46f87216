import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AppBrowser,
  apiOrigin,
  appOrigin,
  type BffWorld,
  sessionCookie,
  startBffWorld,
} from './bff-world.js';

let world: BffWorld;
beforeEach(async () => {
  world = await startBffWorld();
});
afterEach(() => world.close());

async function introspect(token: string): Promise<{ active: boolean }> {
  const { m2m } = world.t;
  const response = await world.t.request('/oauth/introspect', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${m2m.client_id}:${m2m.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token }).toString(),
  });
  return (await response.json()) as { active: boolean };
}

const bearer = (index: number) => world.apiCalls[index]?.headers.authorization?.replace(/^Bearer /, '') ?? '';

describe('calling APIs through the backend-for-frontend', () => {
  it('forwards with the bearer token and without the browser’s cookies, and drops the API’s cookies', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    const answer = await tab.request('/api/dragons?limit=2', {
      headers: { authorization: 'Bearer forged', 'x-evil': '1' },
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ path: '/api/dragons' });
    expect(answer.headers.getSetCookie()).toEqual([]);
    const [call] = world.apiCalls;
    expect(call?.url).toBe(`${apiOrigin}/api/dragons?limit=2`);
    expect(call?.headers.authorization).toMatch(/^Bearer eyJ/);
    expect(call?.headers.cookie).toBeUndefined();
    expect(call?.headers['x-evil']).toBeUndefined();
  });

  it('answers 401 login_required without a session, and never calls the API', async () => {
    const answer = await new AppBrowser(world).request('/api/dragons');
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'login_required' });
    expect(world.apiCalls).toHaveLength(0);
  });

  it('forwards a same-origin write with its body', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    const answer = await tab.request('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dragon: 'Smaug' }),
    });
    expect(answer.status).toBe(200);
    expect(world.apiCalls[0]).toMatchObject({ method: 'POST', body: '{"dragon":"Smaug"}' });
  });

  it.each([
    ['a cross-site form post', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    [
      'a cross-site fetch with credentials',
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors', origin: 'https://evil.example' },
    ],
    ['a sibling site', { 'sec-fetch-site': 'same-site', origin: 'http://evil.localhost:4200' }],
    ['a POST with neither Origin nor Fetch-Metadata', {}],
    ['Origin: null', { origin: 'null' }],
  ])('refuses %s with 403 and changes nothing', async (_name, headers) => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    const answer = await tab.send('/api/orders', { method: 'POST', headers, body: 'dragon=Smaug' });
    expect(answer.status).toBe(403);
    expect(world.apiCalls).toHaveLength(0);
    const logout = await tab.send('/bff/logout', { method: 'POST', headers });
    expect(logout.status).toBe(403);
    expect((await tab.user()).isAuthenticated).toBe(true);
  });

  it.each([
    ['/api/%2e%2e/admin', 404],
    ['/api/..%2fadmin', 400],
    ['/api/a%5C..%5Cadmin', 400],
  ])('never forwards %s, which could climb out of the prefix (%i)', async (path, status) => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    const answer = await tab.request(path);
    expect(answer.status).toBe(status);
    expect(world.apiCalls).toHaveLength(0);
  });

  it('refreshes the access token server-side when it is about to expire, once for concurrent calls', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    await tab.request('/api/dragons');
    world.advance(10 * 60 - 30);
    await Promise.all([
      tab.request('/api/dragons'),
      tab.request('/api/dragons'),
      tab.request('/api/dragons'),
    ]);
    const [first, ...after] = [0, 1, 2, 3].map(bearer);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(first);
    expect((await introspect(after[0] ?? '')).active).toBe(true);
    world.advance(60);
    await tab.request('/api/dragons');
    expect(bearer(4)).toBe(after[0]);
  });

  it('ends the session when the idp refuses the refresh (the user was signed out there)', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    await world.t.admin.revokeUser('user@example.com');
    world.advance(10 * 60);
    const answer = await tab.request('/api/dragons');
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'login_required' });
    expect((await tab.user()).isAuthenticated).toBe(false);
    expect(world.apiCalls).toHaveLength(0);
  });
});

describe('signing out', () => {
  it('destroys the server session, revokes the tokens and hands the app the idp’s logout URL', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    await tab.request('/api/dragons');
    const copied = tab.jar.get(sessionCookie) ?? '';
    const token = bearer(0);
    const answer = await tab.request('/bff/logout', { method: 'POST' });
    expect(answer.status).toBe(200);
    const { logoutUrl } = (await answer.json()) as { logoutUrl: string };
    const end = new URL(logoutUrl);
    expect(end.href.startsWith(world.t.issuer)).toBe(true);
    expect(end.searchParams.get('client_id')).toBe(world.bff.config.clientId);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${appOrigin}/`);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    expect(tab.jar.get(sessionCookie)).toBeUndefined();
    const thief = new AppBrowser(world);
    thief.jar.set(sessionCookie, copied);
    expect(await thief.user()).toEqual({ isAuthenticated: false });
    expect((await thief.request('/api/dragons')).status).toBe(401);
    expect((await introspect(token)).active).toBe(false);
  });

  it('redirects a form post (no script) straight to the idp’s logout', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    const answer = await tab.request('/bff/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toContain('post_logout_redirect_uri=');
  });

  it('logs out everywhere: another browser’s session ends too', async () => {
    const laptop = new AppBrowser(world);
    const phone = new AppBrowser(world);
    await laptop.signIn();
    await phone.signIn();
    const sessions = (await (await laptop.request('/bff/sessions')).json()) as {
      sessions: { sid: string; current: boolean }[];
    };
    expect(sessions.sessions).toHaveLength(2);
    expect(sessions.sessions.filter((s) => s.current)).toHaveLength(1);
    const answer = await laptop.request('/bff/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ everywhere: true }),
    });
    const { logoutUrl } = (await answer.json()) as { logoutUrl: string };
    expect(new URL(logoutUrl).searchParams.get('everywhere')).toBe('true');
    // Following it ends the idp sessions of both browsers: the phone must type its password again.
    const end = new URL(logoutUrl);
    expect((await laptop.idp.get(`${end.pathname}${end.search}`)).status).toBe(303);
    const again = await phone.navigate('/bff/login');
    const authorize = new URL(again.headers.get('location') ?? '');
    const atIdp = await phone.idp.get(`${authorize.pathname}${authorize.search}`);
    expect(atIdp.headers.get('location')).toContain('/u/login');
    expect((await phone.user()).isAuthenticated).toBe(false);
    expect((await laptop.user()).isAuthenticated).toBe(false);
  });

  it('signs out one other device from the session list', async () => {
    const laptop = new AppBrowser(world);
    const phone = new AppBrowser(world);
    await laptop.signIn();
    await phone.signIn();
    const list = (await (await laptop.request('/bff/sessions')).json()) as {
      sessions: { sid: string; current: boolean }[];
    };
    const other = list.sessions.find((s) => !s.current)?.sid ?? '';
    expect((await laptop.request(`/bff/sessions/${other}`, { method: 'DELETE' })).status).toBe(204);
    expect((await phone.user()).isAuthenticated).toBe(false);
    expect((await laptop.user()).isAuthenticated).toBe(true);
    expect((await laptop.request('/bff/sessions/unknown', { method: 'DELETE' })).status).toBe(404);
  });

  it('signs out every other device and keeps this one', async () => {
    const laptop = new AppBrowser(world);
    const phone = new AppBrowser(world);
    const tablet = new AppBrowser(world);
    for (const device of [laptop, phone, tablet]) await device.signIn();
    const answer = await laptop.request('/bff/sessions', { method: 'DELETE' });
    expect(await answer.json()).toEqual({ ended: 2 });
    expect((await phone.user()).isAuthenticated).toBe(false);
    expect((await tablet.user()).isAuthenticated).toBe(false);
    expect((await laptop.user()).isAuthenticated).toBe(true);
    const crossSite = await phone.send('/bff/sessions', {
      method: 'DELETE',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('answers a logout without a session with the app’s home and clears the cookie', async () => {
    const answer = await new AppBrowser(world).request('/bff/logout', { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ logoutUrl: `${appOrigin}/` });
  });
});
