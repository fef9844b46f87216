import { randomBytes } from 'node:crypto';
import { Admin, createAuthorizationServer, openStorage } from '@warden/server';
import { createMemoryStore } from '@warden/session';
import { afterEach, describe, expect, it } from 'vitest';
import { applyConfig } from './apply-config.js';
import { demoConfig, dragonsApi } from './demo-config.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A fresh idp with the demo applied as `npm start` applies it. */
async function registerDemo(options: Parameters<typeof demoConfig>[0]): Promise<Admin> {
  const opened = await openStorage({ sqliteFile: ':memory:' });
  closers.push(() => opened.close());
  const server = createAuthorizationServer({
    issuer: 'http://localhost:3000/',
    storage: opened.storage,
    sessionStore: createMemoryStore(),
    secret: randomBytes(32).toString('base64url'),
  });
  const admin = new Admin(server.context);
  await applyConfig(admin, demoConfig(options));
  return admin;
}

describe('demoConfig', () => {
  it('registers the Dragons app at http://localhost:4200 and the API with the default lifetime', async () => {
    const admin = await registerDemo({});
    const [spa] = (await admin.listClients()).filter((client) => client.clientId === 'dragons-spa');
    expect(spa).toMatchObject({
      type: 'spa',
      thirdParty: false,
      redirectUris: ['http://localhost:4200/callback'],
      allowedOrigins: ['http://localhost:4200'],
      postLogoutRedirectUris: ['http://localhost:4200/'],
    });
    const api = (await admin.listApis()).find((entry) => entry.identifier === dragonsApi);
    expect(api).toMatchObject({ rbac: true, signingAlg: 'RS256', accessTokenTtl: 600 });
    expect((await admin.listUsers()).map((user) => user.email).sort()).toEqual([
      'admin@example.com',
      'user@example.com',
    ]);
  });

  it('follows the app to other origins and shortens the API token lifetime when asked', async () => {
    const admin = await registerDemo({
      appOrigins: ['http://localhost:4300', 'https://dragons.example'],
      apiTokenTtl: 20,
    });
    const [spa] = (await admin.listClients()).filter((client) => client.clientId === 'dragons-spa');
    expect(spa).toMatchObject({
      redirectUris: ['http://localhost:4300/callback', 'https://dragons.example/callback'],
      allowedOrigins: ['http://localhost:4300', 'https://dragons.example'],
      postLogoutRedirectUris: ['http://localhost:4300/', 'https://dragons.example/'],
    });
    const api = (await admin.listApis()).find((entry) => entry.identifier === dragonsApi);
    expect(api?.accessTokenTtl).toBe(20);
  });
});
