import { createMemoryStore, createSessionManager } from '@warden/session';
import { describe, expect, it } from 'vitest';
import { type BffOptions, resolveBffConfig } from './bff-options.js';

const valid: BffOptions = {
  issuer: 'http://localhost:3000/',
  clientId: 'dragons-web',
  clientSecret: 'secret',
  appOrigin: 'http://localhost:4200',
  sessions: createSessionManager({ store: createMemoryStore() }),
  secret: new Uint8Array(32).fill(7),
  apis: [{ prefix: '/api/', target: 'http://localhost:3001/api/' }],
};

describe('resolveBffConfig', () => {
  it('fills the documented defaults and derives the redirect URI', () => {
    const config = resolveBffConfig(valid);
    expect(config).toMatchObject({
      basePath: '/bff',
      redirectUri: 'http://localhost:4200/bff/callback',
      scope: 'openid profile email offline_access',
      refreshSkew: 60,
      loginTimeout: 600,
      secure: true,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['issuer', { issuer: 'http://idp.example/' }],
    ['issuer', { issuer: 'not a url' }],
    ['clientId', { clientId: '' }],
    ['clientSecret', { clientSecret: undefined }],
    ['appOrigin', { appOrigin: 'http://localhost:4200/app' }],
    ['basePath', { basePath: 'bff/' }],
    ['scope', { scope: 'profile' }],
    ['apis[0].prefix', { apis: [{ prefix: 'api', target: 'http://localhost:3001/api/' }] }],
    ['apis[0].prefix', { apis: [{ prefix: '/bff/api/', target: 'http://localhost:3001/api/' }] }],
    ['apis[0].target', { apis: [{ prefix: '/api/', target: 'http://localhost:3001/api' }] }],
    ['sessions', { sessions: {} }],
    ['secret', { secret: new Uint8Array(16) }],
    ['refreshSkew', { refreshSkew: -1 }],
    ['secure', { secure: 'yes' }],
  ])('names %s when it is wrong', (name, change) => {
    expect(() => resolveBffConfig({ ...valid, ...change } as BffOptions)).toThrow(
      new RegExp(`^${name.replace(/[[\].]/g, '\\$&')}:`),
    );
  });
});
