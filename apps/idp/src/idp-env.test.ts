import { describe, expect, it } from 'vitest';
import { readIdpEnv } from './idp-env.js';

describe('readIdpEnv', () => {
  it('defaults to the demo on port 3000 with the Dragons app on http://localhost:4200', () => {
    const env = readIdpEnv({});
    expect(env).toMatchObject({
      port: 3000,
      issuer: 'http://localhost:3000/',
      demo: true,
      signup: true,
      dragonsAppOrigins: ['http://localhost:4200'],
      dragonsApiTokenTtl: undefined,
    });
  });

  it('keeps SSO sessions with the data unless REDIS_URL names a Redis', () => {
    expect(readIdpEnv({}).redisUrl).toBeUndefined();
    expect(readIdpEnv({ REDIS_URL: '' }).redisUrl).toBeUndefined();
    expect(readIdpEnv({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('reads the Dragons app origins (comma-separated, trailing slash dropped)', () => {
    expect(readIdpEnv({ DRAGONS_APP_ORIGIN: 'http://localhost:4300/' }).dragonsAppOrigins).toEqual([
      'http://localhost:4300',
    ]);
    expect(
      readIdpEnv({ DRAGONS_APP_ORIGIN: 'http://localhost:4300, https://dragons.example' }).dragonsAppOrigins,
    ).toEqual(['http://localhost:4300', 'https://dragons.example']);
  });

  it('refuses an app origin that is not scheme://host[:port], naming the variable', () => {
    for (const value of ['localhost:4300', 'http://localhost:4300/app', 'ftp://localhost', ' , ']) {
      expect(() => readIdpEnv({ DRAGONS_APP_ORIGIN: value }), value).toThrow(/DRAGONS_APP_ORIGIN/);
    }
  });

  it('reads the demo API token lifetime in whole positive seconds', () => {
    expect(readIdpEnv({ DRAGONS_API_TOKEN_TTL: '20' }).dragonsApiTokenTtl).toBe(20);
    expect(readIdpEnv({ DRAGONS_API_TOKEN_TTL: '' }).dragonsApiTokenTtl).toBeUndefined();
    for (const value of ['0', '-5', '1.5', 'ten']) {
      expect(() => readIdpEnv({ DRAGONS_API_TOKEN_TTL: value }), value).toThrow(/DRAGONS_API_TOKEN_TTL/);
    }
  });

  it('reads the secret of the Dragons app in cookie mode, unset when empty', () => {
    expect(readIdpEnv({}).dragonsBffClientSecret).toBeUndefined();
    expect(readIdpEnv({ DRAGONS_BFF_CLIENT_SECRET: '' }).dragonsBffClientSecret).toBeUndefined();
    expect(readIdpEnv({ DRAGONS_BFF_CLIENT_SECRET: 'x'.repeat(43) }).dragonsBffClientSecret).toBe(
      'x'.repeat(43),
    );
  });
});
