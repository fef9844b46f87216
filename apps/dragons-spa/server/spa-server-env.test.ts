import { describe, expect, it } from 'vitest';
import { defaultScope, readSpaServerEnv } from './spa-server-env.js';

describe('readSpaServerEnv', () => {
  it('defaults to the demo on localhost:4200', () => {
    const env = readSpaServerEnv({});
    expect(env.port).toBe(4200);
    expect(env.mode).toBe('token');
    expect(env.cookie).toBeUndefined();
    expect(env.host).toBe('localhost');
    expect(env.root).toMatch(/apps\/dragons-spa\/dist\/browser\/?$/);
    expect(env.settings).toEqual({
      issuer: 'http://localhost:3000/',
      apiUrl: 'http://localhost:3001/api/',
      audience: 'http://localhost:3001/api/',
      clientId: 'dragons-spa',
      scope: defaultScope,
    });
  });

  it('takes the ports and URLs npm start passes', () => {
    const env = readSpaServerEnv({
      PORT: '4400',
      WARDEN_ISSUER: 'http://localhost:3200/',
      DRAGONS_API_URL: 'http://localhost:3201/api/',
    });
    expect(env.port).toBe(4400);
    expect(env.settings.issuer).toBe('http://localhost:3200/');
    expect(env.settings.apiUrl).toBe('http://localhost:3201/api/');
    expect(env.settings.audience).toBe('http://localhost:3001/api/');
  });

  it('names the variable that is wrong', () => {
    expect(() => readSpaServerEnv({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => readSpaServerEnv({ DRAGONS_API_URL: 'localhost:3001' })).toThrow(/DRAGONS_API_URL/);
  });

  describe('cookie mode', () => {
    const secret = Buffer.alloc(32, 7).toString('base64url');
    const cookieEnv = {
      DRAGONS_AUTH_MODE: 'cookie',
      DRAGONS_BFF_CLIENT_SECRET: 'client-secret-of-dragons-web',
      DRAGONS_BFF_SECRET: secret,
    };

    it('runs the backend-for-frontend as dragons-web on its own origin, sessions in the data directory', () => {
      const env = readSpaServerEnv({
        ...cookieEnv,
        PORT: '4400',
        WARDEN_ISSUER: 'http://localhost:3200/',
        DRAGONS_API_URL: 'http://localhost:3201/api/',
        WARDEN_DATA_DIR: '/var/lib/warden',
      });
      expect(env.mode).toBe('cookie');
      expect(env.cookie).toEqual({
        issuer: 'http://localhost:3200/',
        clientId: 'dragons-web',
        clientSecret: 'client-secret-of-dragons-web',
        secret: new Uint8Array(Buffer.alloc(32, 7)),
        appOrigin: 'http://localhost:4400',
        audience: 'http://localhost:3001/api/',
        scope: 'openid profile email offline_access read:dragons read:orders',
        apiUrl: 'http://localhost:3201/api/',
        redisUrl: undefined,
        sessionsFile: '/var/lib/warden/dragons-sessions.db',
      });
      expect(readSpaServerEnv({ ...cookieEnv, REDIS_URL: 'redis://127.0.0.1:6379' }).cookie?.redisUrl).toBe(
        'redis://127.0.0.1:6379',
      );
      expect(readSpaServerEnv({ ...cookieEnv, REDIS_URL: '' }).cookie?.redisUrl).toBeUndefined();
    });

    it('takes the origin the browser sees from DRAGONS_APP_ORIGIN', () => {
      const env = readSpaServerEnv({ ...cookieEnv, DRAGONS_APP_ORIGIN: 'https://dragons.example/' });
      expect(env.cookie?.appOrigin).toBe('https://dragons.example');
      expect(() =>
        readSpaServerEnv({ ...cookieEnv, DRAGONS_APP_ORIGIN: 'https://dragons.example/app' }),
      ).toThrow(/DRAGONS_APP_ORIGIN/);
    });

    it('refuses to start without its secrets, or with a short sealing secret', () => {
      expect(() => readSpaServerEnv({ ...cookieEnv, DRAGONS_BFF_CLIENT_SECRET: '' })).toThrow(
        /DRAGONS_BFF_CLIENT_SECRET/,
      );
      for (const value of ['', 'c2hvcnQ', 'not base64url!'.repeat(4)]) {
        expect(() => readSpaServerEnv({ ...cookieEnv, DRAGONS_BFF_SECRET: value }), value).toThrow(
          /DRAGONS_BFF_SECRET/,
        );
      }
    });

    it('names DRAGONS_AUTH_MODE when it is neither token nor cookie', () => {
      expect(readSpaServerEnv({ DRAGONS_AUTH_MODE: 'token' }).mode).toBe('token');
      for (const value of ['Cookie', 'bff', 'tokens']) {
        expect(() => readSpaServerEnv({ DRAGONS_AUTH_MODE: value }), value).toThrow(/DRAGONS_AUTH_MODE/);
      }
    });
  });
});
