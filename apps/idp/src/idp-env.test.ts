import { describe, expect, it } from 'vitest';
import { readIdpEnv } from './idp-env.js';

describe('readIdpEnv', () => {
  it('defaults to the demo on port 3000 with the Dragons app on http://localhost:4200', () => {
    const env = readIdpEnv({});
    expect(env).toMatchObject({
      port: 3000,
      issuer: 'http://localhost:3000/',
      demo: 'dragons',
      allowInsecureUpstreams: false,
      dragonsGuild: undefined,
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

  it('reads the audit log retention in whole days from 1 to 3650, naming the variable', () => {
    expect(readIdpEnv({}).logRetentionDays).toBeUndefined();
    expect(readIdpEnv({ WARDEN_LOG_RETENTION_DAYS: '' }).logRetentionDays).toBeUndefined();
    expect(readIdpEnv({ WARDEN_LOG_RETENTION_DAYS: '90' }).logRetentionDays).toBe(90);
    for (const value of ['0', '-5', '1.5', '3651', 'ten', '1e2']) {
      expect(() => readIdpEnv({ WARDEN_LOG_RETENTION_DAYS: value }), value).toThrow(
        /WARDEN_LOG_RETENTION_DAYS/,
      );
    }
  });

  it("reads the management API's rate limit (requests per window, seconds), naming the variable", () => {
    expect(readIdpEnv({}).managementRateLimit).toEqual({ limit: undefined, window: undefined });
    expect(
      readIdpEnv({ WARDEN_MANAGEMENT_RATE_LIMIT: '300', WARDEN_MANAGEMENT_RATE_WINDOW: '60' })
        .managementRateLimit,
    ).toEqual({ limit: 300, window: 60 });
    expect(readIdpEnv({ WARDEN_MANAGEMENT_RATE_LIMIT: '' }).managementRateLimit.limit).toBeUndefined();
    for (const value of ['0', '-5', '1.5', 'ten', '1e2', '1000001']) {
      expect(() => readIdpEnv({ WARDEN_MANAGEMENT_RATE_LIMIT: value }), value).toThrow(
        /WARDEN_MANAGEMENT_RATE_LIMIT must be a whole number from 1 to 1000000/,
      );
    }
    for (const value of ['0', '3601', '0.5']) {
      expect(() => readIdpEnv({ WARDEN_MANAGEMENT_RATE_WINDOW: value }), value).toThrow(
        /WARDEN_MANAGEMENT_RATE_WINDOW/,
      );
    }
  });

  it('reads the secret of the Dragons app in cookie mode, unset when empty', () => {
    expect(readIdpEnv({}).dragonsBffClientSecret).toBeUndefined();
    expect(readIdpEnv({ DRAGONS_BFF_CLIENT_SECRET: '' }).dragonsBffClientSecret).toBeUndefined();
    expect(readIdpEnv({ DRAGONS_BFF_CLIENT_SECRET: 'x'.repeat(43) }).dragonsBffClientSecret).toBe(
      'x'.repeat(43),
    );
  });

  it('reads WARDEN_DEMO as a boolean or guild, naming it when it is neither', () => {
    expect(readIdpEnv({ WARDEN_DEMO: 'false' }).demo).toBe(false);
    expect(readIdpEnv({ WARDEN_DEMO: 'true' }).demo).toBe('dragons');
    expect(readIdpEnv({ WARDEN_DEMO: 'guild', DRAGONS_GUILD_CLIENT_SECRET: 'x'.repeat(43) }).demo).toBe(
      'guild',
    );
    expect(() => readIdpEnv({ WARDEN_DEMO: 'dragons' })).toThrow(/WARDEN_DEMO must be true, false or guild/);
  });

  it('allows http://localhost upstreams only when WARDEN_ALLOW_INSECURE_UPSTREAMS says so', () => {
    expect(readIdpEnv({ WARDEN_ALLOW_INSECURE_UPSTREAMS: 'true' }).allowInsecureUpstreams).toBe(true);
    expect(readIdpEnv({ WARDEN_ALLOW_INSECURE_UPSTREAMS: 'false' }).allowInsecureUpstreams).toBe(false);
    expect(() => readIdpEnv({ WARDEN_ALLOW_INSECURE_UPSTREAMS: 'sure' })).toThrow(
      /WARDEN_ALLOW_INSECURE_UPSTREAMS/,
    );
  });

  it('registers the guild in the Dragons demo when DRAGONS_GUILD_ISSUER names it, with its client secret', () => {
    const secret = 'g'.repeat(43);
    expect(
      readIdpEnv({ DRAGONS_GUILD_ISSUER: 'http://127.0.0.1:3002/', DRAGONS_GUILD_CLIENT_SECRET: secret })
        .dragonsGuild,
    ).toEqual({
      issuer: 'http://127.0.0.1:3002/',
      callback: 'http://localhost:3000/login/callback',
      clientSecret: secret,
    });
    expect(() => readIdpEnv({ DRAGONS_GUILD_ISSUER: 'http://127.0.0.1:3002/' })).toThrow(
      /DRAGONS_GUILD_CLIENT_SECRET/,
    );
    expect(() =>
      readIdpEnv({ DRAGONS_GUILD_ISSUER: '127.0.0.1:3002', DRAGONS_GUILD_CLIENT_SECRET: secret }),
    ).toThrow(/DRAGONS_GUILD_ISSUER/);
    // Without the demo, no guild whatever the variables say.
    expect(
      readIdpEnv({
        WARDEN_DEMO: 'false',
        DRAGONS_GUILD_ISSUER: 'http://127.0.0.1:3002/',
        DRAGONS_GUILD_CLIENT_SECRET: secret,
      }).dragonsGuild,
    ).toBeUndefined();
  });

  it('runs as the guild with the client secret and the callback of the Dragons demo idp', () => {
    const secret = 'g'.repeat(43);
    expect(
      readIdpEnv({
        WARDEN_DEMO: 'guild',
        DRAGONS_GUILD_CLIENT_SECRET: secret,
        DRAGONS_GUILD_CALLBACK: 'http://localhost:3100/login/callback',
      }).dragonsGuild,
    ).toEqual({ issuer: undefined, callback: 'http://localhost:3100/login/callback', clientSecret: secret });
    expect(() => readIdpEnv({ WARDEN_DEMO: 'guild' })).toThrow(
      /WARDEN_DEMO=guild needs DRAGONS_GUILD_CLIENT_SECRET/,
    );
  });
});
