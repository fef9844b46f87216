// Angular's libraries ship partially compiled; the JIT linker finishes them when tests load them.
import '@angular/compiler';
import { DOCUMENT } from '@angular/common';
import { createEnvironmentInjector, type EnvironmentInjector, Injector } from '@angular/core';
import { describe, expect, it } from 'vitest';
import { fakeWindow } from '../test/fake-warden-client.js';
import { AuthService } from './auth-service.js';
import { provideWarden } from './provide-warden.js';
import { WARDEN_API_URLS, WARDEN_CLIENT, WARDEN_CONFIG, type WardenConfig } from './warden-config.js';

const page = 'http://localhost:4200/';

function injectorFor(config: WardenConfig) {
  const parent = createEnvironmentInjector(
    [{ provide: DOCUMENT, useValue: { baseURI: page, location: { href: page } } }],
    Injector.NULL as EnvironmentInjector,
  );
  return createEnvironmentInjector([provideWarden(config)], parent);
}

const config: WardenConfig = {
  issuer: 'http://localhost:3000/',
  clientId: 'dragons-spa',
  apiOrigins: ['http://localhost:3001'],
};

describe('provideWarden', () => {
  it('uses this origin + /callback as the redirect URI unless told otherwise', () => {
    expect(injectorFor(config).get(WARDEN_CONFIG).redirectUri).toBe('http://localhost:4200/callback');
    const custom = injectorFor({ ...config, redirectUri: 'http://localhost:4200/auth/done' });
    expect(custom.get(WARDEN_CONFIG).redirectUri).toBe('http://localhost:4200/auth/done');
  });

  it('sends the token to apiOrigins when no apiUrls are given, and only to apiUrls when they are', () => {
    const byOrigin = injectorFor(config).get(WARDEN_API_URLS);
    expect(byOrigin('http://localhost:3001/health', page)).toBe(true);
    const byUrl = injectorFor({ ...config, apiUrls: ['http://localhost:3001/api/'] }).get(WARDEN_API_URLS);
    expect(byUrl('http://localhost:3001/health', page)).toBe(false);
    expect(byUrl('http://localhost:3001/api/dragons', page)).toBe(true);
  });

  it('refuses bad API URLs at once, naming the option', () => {
    expect(() => provideWarden({ ...config, apiUrls: ['api/'] })).toThrow(/apiUrls/);
  });

  describe("mode: 'cookie'", () => {
    function cookieMode() {
      const requests: string[] = [];
      const window = fakeWindow();
      const fetch = (async (input: RequestInfo | URL) => {
        requests.push(String(input));
        return Response.json({
          isAuthenticated: true,
          user: { sub: 'user-1', name: 'Daenerys Targaryen' },
          access: { scope: 'openid read:orders', roles: ['admin'], expiresAt: 1_800_000_000 },
        });
      }) as typeof globalThis.fetch;
      return { injector: injectorFor({ mode: 'cookie', fetch, window }), requests, window };
    }

    it('signs in through the app server: AuthService follows /bff/user, roles included', async () => {
      const { injector, requests } = cookieMode();
      const auth = injector.get(AuthService);
      expect(injector.get(WARDEN_CLIENT)).toMatchObject({ mode: 'cookie' });
      expect(auth.mode).toBe('cookie');
      await auth.whenReady();
      expect(requests).toEqual(['/bff/user']);
      expect(auth.isAuthenticated()).toBe(true);
      expect(auth.user()?.name).toBe('Daenerys Targaryen');
      expect(auth.roles()).toEqual(['admin']);
    });

    it('signs in by navigating to the app server, to come back to the page asked for', async () => {
      const { injector, window } = cookieMode();
      await injector.get(AuthService).login({ returnTo: '/profile' });
      expect(window.assigned).toEqual(['/bff/login?returnTo=%2Fprofile']);
    });

    it('gives a bearer token to no URL, its own API paths included', () => {
      const isApiUrl = cookieMode().injector.get(WARDEN_API_URLS);
      for (const url of ['/api/dragons', 'http://localhost:4200/api/dragons', 'http://localhost:3001/api/']) {
        expect(isApiUrl(url, page), url).toBe(false);
      }
    });

    it('refuses an unknown mode', () => {
      expect(() => provideWarden({ ...config, mode: 'bff' } as unknown as WardenConfig)).toThrow(/mode/);
    });
  });
});
