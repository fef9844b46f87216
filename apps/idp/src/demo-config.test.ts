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
async function registerDemo(options: Parameters<typeof demoConfig>[0]) {
  return (await openDemo(options)).admin;
}

async function openDemo(options: Parameters<typeof demoConfig>[0]) {
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
  return { admin, server };
}

/** What the token endpoint says to `clientId:secret` presenting a code that does not exist. */
async function authenticate(
  server: { fetch(request: Request): Response | Promise<Response> },
  secret: string,
) {
  const response = await server.fetch(
    new Request('http://localhost:3000/oauth/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`dragons-web:${secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'no-such-code',
        redirect_uri: 'http://localhost:4200/bff/callback',
      }),
    }),
  );
  return ((await response.json()) as { error: string }).error;
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

  it('registers the cookie-mode client dragons-web only when given its secret', async () => {
    const tokenModeOnly = await (await registerDemo({})).listClients();
    expect(tokenModeOnly.map((client) => client.clientId)).toEqual(['dragons-spa']);
    const secret = randomBytes(32).toString('base64url');
    const { admin, server } = await openDemo({
      appOrigins: ['http://localhost:4400'],
      bffClientSecret: secret,
    });
    const web = (await admin.listClients()).find((client) => client.clientId === 'dragons-web');
    expect(web).toMatchObject({
      type: 'web',
      name: 'Dragons (cookie mode)',
      thirdParty: false,
      redirectUris: ['http://localhost:4400/bff/callback'],
      postLogoutRedirectUris: ['http://localhost:4400/'],
    });
    expect(JSON.stringify(web)).not.toContain(secret);
    // The given secret authenticates the client (the made-up code is then refused); another does not.
    expect(await authenticate(server, secret)).toBe('invalid_grant');
    expect(await authenticate(server, randomBytes(32).toString('base64url'))).toBe('invalid_client');
  });
});
