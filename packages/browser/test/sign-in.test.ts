import { decodeJwt } from '@warden/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeStorage } from './fake-browser.js';
import { apiId, home, spaCallback, World } from './world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(() => world.close());

describe('sign-in with code + PKCE', () => {
  it('redirects to /authorize with code, PKCE S256, state, nonce, audience and scope', async () => {
    const tab = world.openTab();
    await tab.client.login({ loginHint: 'user@example.com' });
    const url = new URL(tab.win.lastNavigation());
    expect(`${url.origin}${url.pathname}`).toBe(`${world.t.issuer}authorize`);
    const params = url.searchParams;
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe(world.t.spa);
    expect(params.get('redirect_uri')).toBe(spaCallback);
    expect(params.get('audience')).toBe(apiId);
    expect(params.get('scope')?.split(' ').sort()).toEqual(
      ['email', 'offline_access', 'openid', 'profile', 'read:dragons'].sort(),
    );
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('login_hint')).toBe('user@example.com');
    expect(params.has('prompt')).toBe(false);
    expect(tab.client.getState().isLoading).toBe(true);
  });

  it('signs the user in through the hosted login page and removes code, state and iss from the address bar', async () => {
    const tab = world.openTab({}, { href: `${home}dragons?sort=name#top` });
    await tab.client.login();
    const callback = await world.returnFromIdp(tab);
    expect(new URL(callback).searchParams.get('iss')).toBe(world.t.issuer);

    const { returnTo } = await tab.client.handleRedirectCallback();

    expect(returnTo).toBe('/dragons?sort=name#top');
    expect(tab.win.location.href).toBe(spaCallback);
    const state = tab.client.getState();
    expect(state).toMatchObject({ isLoading: false, isAuthenticated: true, error: undefined });
    expect(state.user).toMatchObject({
      sub: world.t.userId,
      name: 'Bilbo Baggins',
      email: 'user@example.com',
    });
    expect(state.user).not.toHaveProperty('nonce');
    expect(state.user).not.toHaveProperty('aud');
    const access = decodeJwt(await tab.client.getAccessToken());
    expect(access.header.typ).toBe('at+jwt');
    expect(access.payload.aud).toContain(apiId);
    expect(world.grants('authorization_code')).toHaveLength(1);
    const exchange = world.grants('authorization_code')[0]!.form!;
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(exchange.get('client_id')).toBe(world.t.spa);
  });

  it('keeps nothing in localStorage or sessionStorage after signing in with the default memory cache', async () => {
    const tab = world.openTab();
    expect(await tab.client.start()).toEqual({ outcome: 'redirecting' });
    await world.returnFromIdp(tab);
    await tab.client.start();
    await world.signIn(tab);

    expect(tab.client.getState().isAuthenticated).toBe(true);
    expect(tab.win.sessionStorage.keys()).toEqual([]);
    expect(world.localStorage.keys()).toEqual([]);
  });

  it('tells subscribers the state at once and on every change, until they unsubscribe', async () => {
    const tab = world.openTab();
    const seen: boolean[] = [];
    const unsubscribe = tab.client.subscribe((state) => seen.push(state.isAuthenticated));
    expect(seen).toEqual([false]);
    await world.signIn(tab);
    expect(seen.at(-1)).toBe(true);
    unsubscribe();
    const count = seen.length;
    await tab.client.logout();
    expect(seen).toHaveLength(count);
  });

  it('refuses a returnTo on another origin', async () => {
    const tab = world.openTab();
    await expect(tab.client.login({ returnTo: 'https://evil.example/' })).rejects.toThrow(TypeError);
    expect(tab.win.navigations).toEqual([]);
  });
});

describe('a reload or a new tab keeps the user signed in without the password', () => {
  it('memory cache: start() signs in again with a top-level prompt=none redirect', async () => {
    const before = world.openTab();
    await world.signIn(before);
    before.client.close();

    const reloaded = world.openTab({}, { href: `${home}profile` });
    expect(await reloaded.client.start()).toEqual({ outcome: 'redirecting' });
    const authorize = new URL(reloaded.win.lastNavigation());
    expect(authorize.searchParams.get('prompt')).toBe('none');
    // The idp's session answers at once: no sign-in page, no password.
    const response = await world.idp.get(authorize.href);
    const callback = response.headers.get('location')!;
    expect(callback.startsWith(spaCallback)).toBe(true);
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();
    reloaded.win.location.href = callback;

    expect(await reloaded.client.start()).toEqual({ outcome: 'callback', returnTo: '/profile' });
    expect(reloaded.client.getState()).toMatchObject({ isAuthenticated: true, isLoading: false });
    expect(reloaded.win.sessionStorage.keys()).toEqual([]);
  });

  it('memory cache: a new tab takes the tokens of an open tab, without any redirect', async () => {
    const first = world.openTab();
    await world.signIn(first);
    const token = await first.client.getAccessToken();

    const second = world.openTab();
    expect(await second.client.start()).toEqual({ outcome: 'restored' });
    expect(second.win.navigations).toEqual([]);
    expect(await second.client.getAccessToken()).toBe(token);
    expect(second.client.getState().user?.name).toBe('Bilbo Baggins');
  });

  it('session cache: a reload restores the session from sessionStorage', async () => {
    const sessionStorage = new FakeStorage();
    const tab = world.openTab({ cacheLocation: 'session' }, { sessionStorage });
    await world.signIn(tab);
    tab.client.close();
    expect(world.localStorage.keys()).toEqual([]);

    const reloaded = world.openTab({ cacheLocation: 'session' }, { sessionStorage });
    expect(await reloaded.client.start()).toEqual({ outcome: 'restored' });
    expect(reloaded.win.navigations).toEqual([]);
  });

  it('local cache: a new tab restores the session from localStorage, refreshing an expired access token', async () => {
    const tab = world.openTab({ cacheLocation: 'local' });
    await world.signIn(tab);
    const before = await tab.client.getAccessToken();
    tab.client.close();
    world.advance(3600);

    const later = world.openTab({ cacheLocation: 'local' });
    expect(await later.client.start()).toEqual({ outcome: 'restored' });
    const after = await later.client.getAccessToken();
    expect(after).not.toBe(before);
    expect(world.grants('refresh_token')).toHaveLength(1);
  });

  it('shows the signed-out state when the silent attempt answers login_required, and does not try again in that tab', async () => {
    const tab = world.openTab({}, { href: `${home}dragons` });
    expect(await tab.client.start()).toEqual({ outcome: 'redirecting' });
    const callback = await world.visitAuthorize(tab.win.lastNavigation());
    expect(new URL(callback).searchParams.get('error')).toBe('login_required');
    tab.win.location.href = callback;

    expect(await tab.client.start()).toEqual({ outcome: 'callback', returnTo: '/dragons' });
    expect(tab.client.getState()).toEqual({
      isLoading: false,
      isAuthenticated: false,
      user: undefined,
      error: undefined,
    });
    expect(tab.win.location.href).toBe(spaCallback);

    // The app goes back to /dragons; the page loads again: no second redirect.
    tab.win.location.href = `${home}dragons`;
    expect(await tab.client.start()).toEqual({ outcome: 'signed-out' });
    const reloaded = world.openTab({}, { href: `${home}dragons`, sessionStorage: tab.win.sessionStorage });
    expect(await reloaded.client.start()).toEqual({ outcome: 'signed-out' });
    expect(reloaded.win.navigations).toEqual([]);
    expect(tab.win.navigations).toHaveLength(1);
    expect(await tab.client.loginSilently()).toBe(false);
  });

  it('signing in again after a failed silent attempt re-enables the silent sign-in for later reloads', async () => {
    const tab = world.openTab();
    await tab.client.start();
    await world.returnFromIdp(tab);
    await tab.client.start();
    await world.signIn(tab);
    expect(await tab.client.loginSilently()).toBe(true);
  });
});
