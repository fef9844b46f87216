// Angular's libraries ship partially compiled; the JIT linker finishes them when tests load them.
import '@angular/compiler';
import { DOCUMENT } from '@angular/common';
import { createEnvironmentInjector, type EnvironmentInjector, Injector } from '@angular/core';
import { describe, expect, it } from 'vitest';
import { provideWarden } from './provide-warden.js';
import { WARDEN_API_URLS, WARDEN_CONFIG, type WardenConfig } from './warden-config.js';

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
});
