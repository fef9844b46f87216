import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createConnections } from '@warden/connections';
import { Admin, createAuthorizationServer, openStorage, type ServerOptions } from '@warden/server';
import { createMemoryStore } from '@warden/session';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { applyConfig } from './apply-config.js';
import { demoConfig, dragonsApi, guild, guildConfig } from './demo-config.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A fresh idp with the demo applied as `npm start` applies it. */
async function registerDemo(options: Parameters<typeof demoConfig>[0]) {
  return (await openDemo(options)).admin;
}

async function openDemo(options: Parameters<typeof demoConfig>[0]) {
  const idp = await openIdp('http://localhost:3000/');
  await applyConfig(idp.admin, demoConfig(options));
  return idp;
}

/** One clock, at the test epoch, for every server of a test and their connections. */
const clock = () => inject('testEpoch');

/** An idp on in-memory SQLite, taking `oidc` connections to plain-http upstreams on this machine. */
async function openIdp(issuer: string, overrides: Partial<ServerOptions> = {}) {
  const opened = await openStorage({ sqliteFile: ':memory:' });
  closers.push(() => opened.close());
  const server = createAuthorizationServer({
    issuer,
    storage: opened.storage,
    sessionStore: createMemoryStore(),
    secret: randomBytes(32).toString('base64url'),
    clock,
    upstream: [createConnections({ clock, allowInsecureLocalhost: true })],
    ...overrides,
  });
  return { admin: new Admin(server.context), server };
}

/** The guild with its own registration, served over HTTP on 127.0.0.1 (its discovery is read at registration). */
async function startGuild(clientSecret: string, callback = 'http://localhost:3000/login/callback') {
  let handler: (request: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const http = serve({ fetch: (request) => handler(request), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((listening) => http.once('listening', listening));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  closers.push(async () => {
    (http as Server).closeAllConnections();
    await new Promise((closed) => http.close(closed));
  });
  const idp = await openIdp(issuer);
  await applyConfig(idp.admin, guildConfig({ callback, clientSecret }));
  await idp.server.context.keys.ensure(['RS256']);
  handler = idp.server.fetch;
  return { ...idp, issuer };
}

/** What the token endpoint says to `clientId:secret` presenting a code that does not exist. */
async function authenticate(
  server: { fetch(request: Request): Response | Promise<Response> },
  secret: string,
  client = {
    id: 'dragons-web',
    callback: 'http://localhost:4200/bff/callback',
    issuer: 'http://localhost:3000/',
  },
) {
  const response = await server.fetch(
    new Request(`${client.issuer}oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${client.id}:${secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'no-such-code',
        redirect_uri: client.callback,
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

  it('registers the guild, when it runs, as the oidc connection guild offered by the Dragons app', async () => {
    const secret = randomBytes(32).toString('base64url');
    const upstream = await startGuild(secret);
    const tokenMode = await registerDemo({ guild: { issuer: upstream.issuer, clientSecret: secret } });
    const [connection] = (await tokenMode.listConnections()).filter((entry) => entry.name === 'guild');
    expect(connection).toMatchObject({
      strategy: 'oidc',
      displayName: 'Dragon Riders Guild',
      options: { issuer: upstream.issuer, clientId: 'dragons-idp', trustEmail: false, storeTokens: false },
      enabledClients: ['dragons-spa'],
      hasClientSecret: true,
    });
    expect(JSON.stringify(connection)).not.toContain(secret);

    const cookieMode = await registerDemo({
      bffClientSecret: randomBytes(32).toString('base64url'),
      guild: { issuer: upstream.issuer, clientSecret: secret },
    });
    expect(
      (await cookieMode.listConnections()).find((entry) => entry.name === 'guild')?.enabledClients,
    ).toEqual(['dragons-spa', 'dragons-web']);
    // Without the guild, no connection but the password database.
    expect((await (await registerDemo({})).listConnections()).map((entry) => entry.name)).toEqual([
      'Username-Password-Authentication',
    ]);
  });

  it('adds the guild to a demo registered before it, and offers it to dragons-web when cookie mode comes later', async () => {
    const secret = randomBytes(32).toString('base64url');
    const upstream = await startGuild(secret);
    const { admin } = await openDemo({});
    await applyConfig(admin, demoConfig({ guild: { issuer: upstream.issuer, clientSecret: secret } }));
    const guildNow = async () => (await admin.listConnections()).find((entry) => entry.name === 'guild');
    expect((await guildNow())?.enabledClients).toEqual(['dragons-spa']);
    const registered = await guildNow();
    await applyConfig(admin, demoConfig({ guild: { issuer: upstream.issuer, clientSecret: secret } }));
    expect(await guildNow()).toEqual(registered);
    await applyConfig(
      admin,
      demoConfig({
        bffClientSecret: randomBytes(32).toString('base64url'),
        guild: { issuer: upstream.issuer, clientSecret: secret },
      }),
    );
    expect((await guildNow())?.enabledClients).toEqual(['dragons-spa', 'dragons-web']);
  });

  it('makes the guild one rider and the Dragons idp its first-party confidential client', async () => {
    const secret = randomBytes(32).toString('base64url');
    const callback = 'http://localhost:3100/login/callback';
    const upstream = await startGuild(secret, callback);
    expect(await upstream.admin.listUsers()).toEqual([
      expect.objectContaining({ email: guild.user.email, name: guild.user.name, emailVerified: true }),
    ]);
    expect(await upstream.admin.listClients()).toEqual([
      expect.objectContaining({
        clientId: guild.clientId,
        type: 'web',
        thirdParty: false,
        redirectUris: [callback],
      }),
    ]);
    const client = { id: guild.clientId, callback, issuer: upstream.issuer };
    expect(await authenticate(upstream.server, secret, client)).toBe('invalid_grant');
    expect(await authenticate(upstream.server, randomBytes(32).toString('base64url'), client)).toBe(
      'invalid_client',
    );
  });
});
