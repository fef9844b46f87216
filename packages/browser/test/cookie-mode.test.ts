import { isOAuthError } from '@warden/protocol/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppBrowser, appOrigin, type BffWorld, startBffWorld } from '../../bff/test/bff-world.js';
import { type BffClient, createBffClient } from '../src/create-bff-client.js';
import { BroadcastHub, FakeWindow } from './fake-browser.js';

let world: BffWorld;
beforeEach(async () => {
  world = await startBffWorld();
});
afterEach(() => world.close());

/** A tab of the Dragons app in cookie mode: its page's fetch goes to the BFF with the browser's cookies. */
function openTab(
  browser: AppBrowser,
  path = '/',
  hub?: BroadcastHub,
): { client: BffClient; win: FakeWindow } {
  const win = new FakeWindow({ href: `${appOrigin}${path}`, ...(hub && { hub }) });
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(
      new URL(input instanceof Request ? input.url : String(input), appOrigin),
      init,
    );
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
    return browser.request(new URL(request.url).pathname + new URL(request.url).search, {
      method: request.method,
      headers: Object.fromEntries(request.headers),
      ...(body !== undefined && { body }),
    });
  }) as typeof globalThis.fetch;
  return { client: createBffClient({ window: win, fetch }), win };
}

describe('the browser client in cookie mode', () => {
  it('reads who is signed in from the server, with roles, and keeps nothing in storage', async () => {
    const browser = new AppBrowser(world);
    await browser.signIn('admin@example.com');
    const { client, win } = openTab(browser);
    expect(await client.start()).toEqual({ outcome: 'restored' });
    expect(client.getState()).toMatchObject({
      isAuthenticated: true,
      isLoading: false,
      user: { name: 'Daenerys' },
    });
    expect(client.getAccess()?.roles).toEqual(['admin']);
    expect(win.localStorage.dump() + win.sessionStorage.dump()).toBe('');
    await expect(client.getAccessToken()).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('starts signed out without a session, and shows the error a failed sign-in came back with', async () => {
    const browser = new AppBrowser(world);
    expect(await openTab(browser).client.start()).toEqual({ outcome: 'signed-out' });
    const { client, win } = openTab(
      browser,
      '/profile?tab=1&error=access_denied&error_description=the+user+said+no',
    );
    const result = await client.start();
    expect(result.outcome).toBe('error');
    expect(client.getState().error).toMatchObject({
      error: 'access_denied',
      description: 'the user said no',
    });
    expect(win.location.href).toBe(`${appOrigin}/profile?tab=1`);
  });

  it('signs in by navigating to the BFF, back to a page of this origin only', async () => {
    const { client, win } = openTab(new AppBrowser(world), '/dragons');
    await client.login({ returnTo: '/profile' });
    expect(win.lastNavigation()).toBe(`${appOrigin}/bff/login?returnTo=%2Fprofile`);
    await client.login({ returnTo: 'https://evil.example/' });
    expect(win.lastNavigation()).toBe(`${appOrigin}/bff/login?returnTo=%2F`);
    await client.login();
    expect(win.lastNavigation()).toBe(`${appOrigin}/bff/login?returnTo=%2Fdragons`);
  });

  it('calls the API with the cookie, and a 401 signs the tab out', async () => {
    const browser = new AppBrowser(world);
    await browser.signIn();
    const { client } = openTab(browser);
    await client.start();
    const answer = await client.fetch('/api/dragons');
    expect(await answer.json()).toMatchObject({ path: '/api/dragons' });
    expect(world.apiCalls[0]?.headers.authorization).toMatch(/^Bearer /);
    await world.sessions.destroyAllForUser(world.t.userId);
    const refused = await client.fetch('/api/dragons').catch((error: unknown) => error);
    expect(isOAuthError(refused) && refused.status).toBe(401);
    expect(client.getState().isAuthenticated).toBe(false);
  });

  it('logs out on the server, in every tab, and goes to the idp’s logout', async () => {
    const browser = new AppBrowser(world);
    await browser.signIn();
    const hub = new BroadcastHub();
    const one = openTab(browser, '/', hub);
    const two = openTab(browser, '/profile', hub);
    await one.client.start();
    await two.client.start();
    await one.client.logout();
    expect(one.win.lastNavigation()).toContain('post_logout_redirect_uri=');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(two.client.getState().isAuthenticated).toBe(false);
    expect(await browser.user()).toEqual({ isAuthenticated: false });
  });
});
