import { decodeJwt } from '@warden/protocol/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppBrowser, appOrigin, type BffWorld, sessionCookie, startBffWorld } from './bff-world.js';

let world: BffWorld;
beforeEach(async () => {
  world = await startBffWorld();
});
afterEach(() => world.close());

describe('signing in through the backend-for-frontend', () => {
  it('starts code + PKCE as the confidential client and keeps the transaction in a sealed cookie', async () => {
    const tab = new AppBrowser(world);
    const start = await tab.navigate('/bff/login?returnTo=/profile');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin + authorize.pathname).toBe(`${world.t.issuer}authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(world.bff.config.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${appOrigin}/bff/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{22}$/);
    expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{22}$/);
    const cookie = start.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^__Host-warden_bff_tx=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toContain(authorize.searchParams.get('state'));
  });

  it('returns to the page the user wanted, signed in with only an HttpOnly session cookie', async () => {
    const tab = new AppBrowser(world);
    const back = await tab.signIn('user@example.com', '/profile?tab=tokens');
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`${appOrigin}/profile?tab=tokens`);
    const session = back.headers.getSetCookie().find((value) => value.startsWith(`${sessionCookie}=`)) ?? '';
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    expect(tab.jar.get('__Host-warden_bff_tx')).toBeUndefined();
    const me = await tab.user();
    expect(me.isAuthenticated).toBe(true);
    expect(me.user).toMatchObject({ name: 'Bilbo Baggins', email: 'user@example.com' });
    expect(me.user).not.toHaveProperty('nonce');
    expect(JSON.stringify(me)).not.toMatch(/eyJ/);
    expect(me.access).toMatchObject({ scope: expect.stringContaining('read:dragons') });
  });

  it('tells the app about roles without handing it the token', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn('admin@example.com');
    const me = await tab.user();
    expect(me.access?.roles).toEqual(['admin']);
  });

  it('answers signed out without a cookie, with a damaged cookie and with a foreign one', async () => {
    const tab = new AppBrowser(world);
    expect(await tab.user()).toEqual({ isAuthenticated: false });
    tab.jar.set(sessionCookie, 'x'.repeat(43));
    expect(await tab.user()).toEqual({ isAuthenticated: false });
    tab.jar.set(sessionCookie, '%%%');
    expect(await tab.user()).toEqual({ isAuthenticated: false });
  });

  it.each([
    ['//evil.example/steal', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['/dragons?x=1#top', '/dragons?x=1#top'],
  ])('returnTo %s sends the user back to %s on this origin', async (returnTo, expected) => {
    const tab = new AppBrowser(world);
    const back = await tab.signIn('user@example.com', returnTo);
    expect(back.headers.get('location')).toBe(new URL(expected, appOrigin).href);
  });

  it('refuses a callback whose state is not the one this browser started, and signs nobody in', async () => {
    const victim = new AppBrowser(world);
    const attacker = new AppBrowser(world);
    // The attacker gets a code for their own account and makes the victim's browser deliver it.
    const start = await attacker.navigate('/bff/login');
    const authorize = new URL(start.headers.get('location') ?? '');
    const login = await attacker.idp.get(`${authorize.pathname}${authorize.search}`);
    const callback = new URL(
      (await attacker.idp.signIn(login.headers.get('location') ?? '', 'admin@example.com')).headers.get(
        'location',
      ) ?? '',
    );
    await victim.navigate('/bff/login');
    const answer = await victim.navigate(`${callback.pathname}${callback.search}`);
    expect(answer.status).toBe(302);
    const landing = new URL(answer.headers.get('location') ?? '');
    expect(landing.origin).toBe(appOrigin);
    expect(landing.searchParams.get('error')).toBe('invalid_request');
    expect(await victim.user()).toEqual({ isAuthenticated: false });
  });

  it('refuses a tampered transaction cookie and a callback without one', async () => {
    const tab = new AppBrowser(world);
    const start = await tab.navigate('/bff/login');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state');
    const sealed = tab.jar.get('__Host-warden_bff_tx') ?? '';
    tab.jar.set('__Host-warden_bff_tx', `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'AB' : 'AA'}`);
    const tampered = await tab.navigate(`/bff/callback?code=abc&state=${state}`);
    expect(new URL(tampered.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
    const none = await new AppBrowser(world).navigate(`/bff/callback?code=abc&state=${state}`);
    expect(new URL(none.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses a sign-in that took longer than the transaction lives', async () => {
    const tab = new AppBrowser(world);
    const start = await tab.navigate('/bff/login');
    const state = new URL(start.headers.get('location') ?? '').searchParams.get('state');
    world.advance(601);
    const late = await tab.navigate(`/bff/callback?code=abc&state=${state}`);
    expect(new URL(late.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('passes the idp’s refusal on to the app and refuses an answer from another issuer', async () => {
    const tab = new AppBrowser(world);
    let start = await tab.navigate('/bff/login?returnTo=/profile');
    let state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const denied = await tab.navigate(
      `/bff/callback?error=access_denied&error_description=no&state=${state}`,
    );
    const landing = new URL(denied.headers.get('location') ?? '');
    expect(landing.pathname).toBe('/profile');
    expect(landing.searchParams.get('error')).toBe('access_denied');
    start = await tab.navigate('/bff/login');
    state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const foreign = await tab.navigate(
      `/bff/callback?code=abc&state=${state}&iss=${encodeURIComponent('https://evil.example/')}`,
    );
    expect(new URL(foreign.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('replaces an existing session on a new sign-in (no fixation)', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn('user@example.com');
    const first = tab.jar.get(sessionCookie) ?? '';
    await tab.signIn('user@example.com');
    expect(tab.jar.get(sessionCookie)).not.toBe(first);
    const copied = new AppBrowser(world);
    copied.jar.set(sessionCookie, first);
    expect(await copied.user()).toEqual({ isAuthenticated: false });
    expect((await tab.user()).isAuthenticated).toBe(true);
  });

  it('keeps the access token for the configured API', async () => {
    const tab = new AppBrowser(world);
    await tab.signIn();
    await tab.request('/api/dragons');
    const token = world.apiCalls[0]?.headers.authorization?.replace(/^Bearer /, '') ?? '';
    expect(decodeJwt(token).payload.aud).toContain('http://localhost:3001/api/');
  });
});
