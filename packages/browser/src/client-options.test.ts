import { describe, expect, it } from 'vitest';
import { type ClientOptions, resolveClientOptions } from './client-options.js';

const fakeWindow = {} as ClientOptions['window'];
const base: ClientOptions = {
  issuer: 'http://localhost:3000/',
  clientId: 'spa',
  redirectUri: 'http://localhost:4200/callback',
  window: fakeWindow,
};

describe('resolveClientOptions', () => {
  it('applies the documented defaults and freezes the result', () => {
    const config = resolveClientOptions(base);
    expect(config).toMatchObject({
      scope: 'openid profile email offline_access',
      cacheLocation: 'memory',
      useRefreshTokens: true,
      silentLogin: true,
      refreshMargin: 60,
      leeway: 60,
      postLogoutRedirectUri: 'http://localhost:4200/',
      audience: undefined,
    });
    expect(config.apiOrigins.size).toBe(0);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('adds offline_access for refresh tokens and removes it without them', () => {
    expect(resolveClientOptions({ ...base, scope: 'openid read:dragons' }).scope).toBe(
      'openid read:dragons offline_access',
    );
    expect(
      resolveClientOptions({ ...base, scope: 'openid offline_access email', useRefreshTokens: false }).scope,
    ).toBe('openid email');
  });

  it('normalises API origins', () => {
    const config = resolveClientOptions({
      ...base,
      apiOrigins: ['https://api.example', 'http://localhost:3001/'],
    });
    expect([...config.apiOrigins]).toEqual(['https://api.example', 'http://localhost:3001']);
  });

  it.each<[string, Partial<ClientOptions>, RegExp]>([
    ['issuer', { issuer: 'not a url' }, /options\.issuer/],
    ['issuer', { issuer: 'http://idp.example/' }, /options\.issuer must use https/],
    ['clientId', { clientId: '' }, /options\.clientId/],
    ['redirectUri', { redirectUri: 'http://app.example/callback' }, /options\.redirectUri/],
    ['redirectUri', { redirectUri: 'https://app.example/callback#x' }, /fragment/],
    ['scope', { scope: 'profile email' }, /options\.scope must include "openid"/],
    ['cacheLocation', { cacheLocation: 'cookie' as never }, /options\.cacheLocation/],
    ['apiOrigins', { apiOrigins: ['https://api.example/api'] }, /not an origin/],
    ['apiOrigins', { apiOrigins: ['http://api.example'] }, /https/],
    ['apiOrigins', { apiOrigins: 'https://api.example' as never }, /options\.apiOrigins/],
    ['refreshMargin', { refreshMargin: -1 }, /options\.refreshMargin/],
    ['fetch', { fetch: 'fetch' as never }, /options\.fetch/],
    ['useRefreshTokens', { useRefreshTokens: 'yes' as never }, /options\.useRefreshTokens/],
  ])('refuses a bad %s with a TypeError naming it', (_, change, message) => {
    expect(() => resolveClientOptions({ ...base, ...change })).toThrow(TypeError);
    expect(() => resolveClientOptions({ ...base, ...change })).toThrow(message);
  });

  it('needs a window outside a browser', () => {
    const { window: _, ...rest } = base;
    expect(() => resolveClientOptions(rest)).toThrow(/options\.window/);
  });
});
