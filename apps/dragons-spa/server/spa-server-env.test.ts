import { describe, expect, it } from 'vitest';
import { defaultScope, readSpaServerEnv } from './spa-server-env.js';

describe('readSpaServerEnv', () => {
  it('defaults to the demo on localhost:4200', () => {
    const env = readSpaServerEnv({});
    expect(env.port).toBe(4200);
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
});
