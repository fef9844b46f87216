// Angular's libraries ship partially compiled; the JIT linker finishes them when tests load them.
import '@angular/compiler';
import { DOCUMENT } from '@angular/common';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import {
  createTestInjector,
  daenerys,
  FakeBffClient,
  FakeWardenClient,
  unsignedJwt,
} from '../test/fake-warden-client.js';
import { AuthService } from './auth-service.js';
import { WARDEN_CONFIG } from './warden-config.js';

function service(client: FakeWardenClient) {
  return createTestInjector(client).get(AuthService);
}

/** The service on the page `href`, configured with the callback http://localhost:4200/callback. */
function serviceAt(client: FakeWardenClient, href: string) {
  return createTestInjector(client, [
    { provide: DOCUMENT, useValue: { location: { href } } },
    { provide: WARDEN_CONFIG, useValue: { redirectUri: 'http://localhost:4200/callback' } },
  ]).get(AuthService);
}

describe('AuthService', () => {
  it('mirrors the client state in its signals', () => {
    const client = new FakeWardenClient();
    const auth = service(client);
    expect(auth.isLoading()).toBe(true);
    expect(auth.isAuthenticated()).toBe(false);
    client.finishStart({ outcome: 'restored' }, daenerys);
    expect(auth.isLoading()).toBe(false);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.user()?.name).toBe('Daenerys Targaryen');
  });

  it('emits the current state on subscribe, then each change', async () => {
    const client = new FakeWardenClient();
    const states = firstValueFrom(service(client).authState$.pipe(take(2), toArray()));
    client.finishStart({ outcome: 'restored' }, daenerys);
    const [first, second] = await states;
    expect(first).toMatchObject({ isLoading: true, isAuthenticated: false });
    expect(second).toMatchObject({ isLoading: false, isAuthenticated: true, user: daenerys });
  });

  it('stops following the client when its injector is destroyed', () => {
    const client = new FakeWardenClient();
    const injector = createTestInjector(client);
    const auth = injector.get(AuthService);
    (injector as unknown as { destroy(): void }).destroy();
    client.finishStart({ outcome: 'restored' }, daenerys);
    expect(auth.isAuthenticated()).toBe(false);
  });

  it('keeps a sign-in that could not start in error(), until the next attempt', async () => {
    const client = new FakeWardenClient();
    client.finishStart({ outcome: 'signed-out' });
    const auth = service(client);
    const unreachable = new Error('the identity provider cannot be reached');
    client.loginFailure = unreachable;
    await expect(auth.login()).rejects.toBe(unreachable);
    expect(auth.error()).toBe(unreachable);
    client.loginFailure = undefined;
    await auth.login();
    expect(auth.error()).toBeUndefined();
  });

  describe('handleRedirectCallback', () => {
    it('returns where the finished sign-in wanted to go', async () => {
      const client = new FakeWardenClient();
      client.finishStart({ outcome: 'callback', returnTo: '/profile' }, daenerys);
      await expect(service(client).handleRedirectCallback()).resolves.toEqual({ returnTo: '/profile' });
    });

    it('rejects with the error of a failed sign-in', async () => {
      const client = new FakeWardenClient();
      const failure = new Error('access_denied');
      client.finishStart({ outcome: 'error', error: failure });
      await expect(service(client).handleRedirectCallback()).rejects.toBe(failure);
    });

    it('finishes the sign-in of the callback URL itself, without the restore or silent sign-in', async () => {
      const client = new FakeWardenClient();
      client.callbackResult = { returnTo: '/profile' };
      const href = 'http://localhost:4200/callback?code=abc&state=ours&iss=http%3A%2F%2Flocalhost%3A3000%2F';
      const auth = serviceAt(client, href);
      await expect(auth.handleRedirectCallback()).resolves.toEqual({ returnTo: '/profile' });
      expect(client.callbacks).toEqual([href]);
      expect(client.starts).toBe(0);
    });

    it('refuses a callback this tab did not start instead of signing in silently', async () => {
      const client = new FakeWardenClient();
      const auth = serviceAt(client, 'http://localhost:4200/callback?code=stolen&state=theirs');
      await expect(auth.handleRedirectCallback()).rejects.toMatchObject({ error: 'invalid_request' });
      expect(client.starts).toBe(0);
    });

    it('starts the client normally on other pages, even with a code in the query', async () => {
      const client = new FakeWardenClient();
      client.finishStart({ outcome: 'signed-out' });
      const auth = serviceAt(client, 'http://localhost:4200/search?code=42');
      await expect(auth.handleRedirectCallback()).resolves.toEqual({ returnTo: '/' });
      expect(client.starts).toBe(1);
      expect(client.callbacks).toEqual([]);
    });

    it('goes home when the page was not a callback', async () => {
      const client = new FakeWardenClient();
      client.finishStart({ outcome: 'restored' }, daenerys);
      await expect(service(client).handleRedirectCallback()).resolves.toEqual({ returnTo: '/' });
      expect(client.callbacks).toEqual([]);
    });
  });

  describe('access and roles', () => {
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

    it('token mode: reads them from the access token, and forgets them on sign-out', async () => {
      const client = new FakeWardenClient();
      client.token = unsignedJwt({
        scope: 'openid read:dragons read:orders',
        roles: ['admin'],
        exp: 1_800_000_000,
      });
      const auth = service(client);
      expect(auth.mode).toBe('token');
      expect(auth.roles()).toEqual([]);
      client.finishStart({ outcome: 'restored' }, daenerys);
      await settle();
      expect(auth.roles()).toEqual(['admin']);
      expect(auth.access()).toEqual({
        scope: 'openid read:dragons read:orders',
        roles: ['admin'],
        permissions: [],
        expiresAt: 1_800_000_000,
      });
      client.setState({ isLoading: false, isAuthenticated: false, user: undefined, error: undefined });
      expect(auth.access()).toBeUndefined();
      expect(auth.roles()).toEqual([]);
    });

    it('token mode: follows the token getAccessToken hands out after a renewal', async () => {
      const client = new FakeWardenClient();
      client.token = unsignedJwt({ scope: 'openid', exp: 100 });
      const auth = service(client);
      client.finishStart({ outcome: 'restored' }, daenerys);
      await settle();
      client.token = unsignedJwt({ scope: 'openid', roles: ['admin'], exp: 700 });
      await auth.getAccessToken();
      expect(auth.access()).toMatchObject({ roles: ['admin'], expiresAt: 700 });
    });

    it('cookie mode: takes them from what the app server said, and never asks for a token', async () => {
      const client = new FakeBffClient();
      client.access = { scope: 'openid read:dragons', roles: ['admin'], expiresAt: 1_800_000_000 };
      const auth = service(client);
      expect(auth.mode).toBe('cookie');
      client.finishStart({ outcome: 'restored' }, daenerys);
      expect(auth.roles()).toEqual(['admin']);
      expect(auth.access()).toEqual({
        scope: 'openid read:dragons',
        roles: ['admin'],
        permissions: [],
        expiresAt: 1_800_000_000,
      });
      await expect(auth.getAccessToken()).rejects.toMatchObject({ error: 'invalid_request' });
    });
  });

  describe('logoutEverywhere', () => {
    it('cookie mode: goes through the client', async () => {
      const client = new FakeBffClient();
      client.finishStart({ outcome: 'restored' }, daenerys);
      await service(client).logoutEverywhere();
      expect(client.everywhere).toBe(1);
    });

    it('token mode: refuses, since the page cannot reach other browsers', async () => {
      const client = new FakeWardenClient();
      client.finishStart({ outcome: 'restored' }, daenerys);
      await expect(service(client).logoutEverywhere()).rejects.toMatchObject({ error: 'invalid_request' });
    });
  });
});
