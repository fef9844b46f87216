import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CacheLocation } from '../src/client-options.js';
import { settle, World } from './world.js';

let world: World;
beforeEach(async () => {
  world = await World.start();
});
afterEach(() => world.close());

/** Access tokens live 600 s; the client renews them 60 s before they expire. */
describe('getAccessToken', () => {
  it('returns the cached token while it is fresh and renews it with the refresh token shortly before expiry', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    const first = await tab.client.getAccessToken();

    world.advance(530);
    expect(await tab.client.getAccessToken()).toBe(first);
    expect(world.grants('refresh_token')).toHaveLength(0);

    world.advance(15);
    const second = await tab.client.getAccessToken();
    expect(second).not.toBe(first);
    expect(world.grants('refresh_token')).toHaveLength(1);
    expect(await tab.client.getAccessToken()).toBe(second);

    // The rotated refresh token is the one used next time.
    world.advance(545);
    await tab.client.getAccessToken();
    const [used1, used2] = world.grants('refresh_token').map((r) => r.form!.get('refresh_token'));
    expect(used2).not.toBe(used1);
    expect(tab.client.getState().isAuthenticated).toBe(true);
  });

  it('shares one refresh between concurrent callers', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    world.advance(590);

    const tokens = await Promise.all(Array.from({ length: 5 }, () => tab.client.getAccessToken()));

    expect(new Set(tokens).size).toBe(1);
    expect(world.grants('refresh_token')).toHaveLength(1);
  });

  it('renews on demand with forceRefresh', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    const first = await tab.client.getAccessToken();
    expect(await tab.client.getAccessToken({ forceRefresh: true })).not.toBe(first);
  });

  it('signs the tab out with login_required when the idp refuses the refresh token', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    world.rewrite = (request, response) =>
      request.form?.get('grant_type') === 'refresh_token'
        ? Response.json(
            { error: 'invalid_grant', error_description: 'the refresh token was revoked' },
            { status: 400, headers: response.headers },
          )
        : response;
    world.advance(590);

    await expect(tab.client.getAccessToken()).rejects.toMatchObject({ error: 'login_required', status: 401 });
    expect(tab.client.getState()).toMatchObject({ isAuthenticated: false, user: undefined });
  });

  it('keeps the session when the idp cannot be reached, and renews once it can', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    world.rewrite = (request, response) => {
      if (request.form?.get('grant_type') === 'refresh_token') throw new TypeError('network down');
      return response;
    };
    world.advance(590);
    await expect(tab.client.getAccessToken()).rejects.toMatchObject({ error: 'temporarily_unavailable' });
    expect(tab.client.getState().isAuthenticated).toBe(true);

    world.rewrite = (_, response) => response;
    await expect(tab.client.getAccessToken()).resolves.toMatch(/^ey/);
  });

  it('without refresh tokens, returns the token until it expires, then asks for a sign-in', async () => {
    const tab = world.openTab({ useRefreshTokens: false });
    await tab.client.login();
    expect(new URL(tab.win.lastNavigation()).searchParams.get('scope')).not.toContain('offline_access');
    await world.returnFromIdp(tab);
    await tab.client.handleRedirectCallback();
    const token = await tab.client.getAccessToken();
    world.advance(590);
    expect(await tab.client.getAccessToken()).toBe(token);
    world.advance(20);
    await expect(tab.client.getAccessToken()).rejects.toMatchObject({ error: 'login_required' });
    expect(world.grants('refresh_token')).toHaveLength(0);
  });
});

describe.each<CacheLocation>(['memory', 'session', 'local'])(
  'two tabs with the %s cache',
  (cacheLocation) => {
    it('refresh once between them and both get the same new token; rotation signs neither out', async () => {
      const first = world.openTab({ cacheLocation });
      await world.signIn(first);
      const second = world.openTab({ cacheLocation });
      expect(await second.client.start()).toEqual({ outcome: 'restored' });
      const original = await first.client.getAccessToken();
      expect(await second.client.getAccessToken()).toBe(original);

      for (let round = 1; round <= 3; round++) {
        world.advance(545);
        const [a, b] = await Promise.all([first.client.getAccessToken(), second.client.getAccessToken()]);
        expect(a).toBe(b);
        expect(a).not.toBe(original);
        expect(world.grants('refresh_token')).toHaveLength(round);
        await settle();
      }

      // Each tab in turn: the other one picks up the result instead of spending a used token.
      world.advance(545);
      const fromFirst = await first.client.getAccessToken();
      await settle();
      expect(await second.client.getAccessToken()).toBe(fromFirst);
      expect(world.grants('refresh_token')).toHaveLength(4);
      expect(first.client.getState().isAuthenticated).toBe(true);
      expect(second.client.getState().isAuthenticated).toBe(true);
    });
  },
);

describe('messages between tabs', () => {
  it('a tab that waited for the lock takes the new tokens even when they arrive after the lock', async () => {
    world.hub.latency = 20;
    const first = world.openTab();
    await world.signIn(first);
    const second = world.openTab();
    expect(await second.client.start()).toEqual({ outcome: 'restored' });
    world.advance(545);

    const [a, b] = await Promise.all([first.client.getAccessToken(), second.client.getAccessToken()]);

    expect(b).toBe(a);
    // One refresh: the waiting tab never presented the spent refresh token.
    expect(world.grants('refresh_token')).toHaveLength(1);
  });

  it('a late message with an older token set does not replace a newer one', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    const stale = world.hub.sent.find((m) => (m.data as { type: string }).type === 'tokens')!.data;
    world.advance(545);
    const current = await tab.client.getAccessToken();

    const otherTab = new world.hub.Channel(`warden:${world.t.spa}`);
    otherTab.postMessage(stale);
    await settle();

    expect(await tab.client.getAccessToken()).toBe(current);
    world.advance(545);
    await tab.client.getAccessToken();
    const presented = world.grants('refresh_token').map((r) => r.form!.get('refresh_token'));
    expect(new Set(presented).size).toBe(presented.length);
  });

  it('a token set issued before a logout does not sign the tab in again', async () => {
    const tab = world.openTab();
    await world.signIn(tab);
    const before = world.hub.sent.find((m) => (m.data as { type: string }).type === 'tokens')!.data;
    world.advance(1);
    await tab.client.logout();
    new world.hub.Channel(`warden:${world.t.spa}`).postMessage(before);
    await settle();
    expect(tab.client.getState().isAuthenticated).toBe(false);
  });
});

describe('tabs without Web Locks or BroadcastChannel', () => {
  it('still share a localStorage session: a tab re-reads it before refreshing', async () => {
    const first = world.openTab({ cacheLocation: 'local' }, { isolated: true });
    await world.signIn(first);
    const second = world.openTab({ cacheLocation: 'local' }, { isolated: true });
    expect(await second.client.start()).toEqual({ outcome: 'restored' });

    world.advance(545);
    const a = await first.client.getAccessToken();
    const b = await second.client.getAccessToken();
    expect(b).toBe(a);
    expect(world.grants('refresh_token')).toHaveLength(1);
  });
});
