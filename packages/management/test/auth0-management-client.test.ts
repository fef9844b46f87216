import { createConnections } from '@warden/connections';
import { type ManagementClient, ManagementError } from 'auth0';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiId } from '../../server/test/harness.js';
import { type HttpTestServer, startHttpTestServer } from '../../server/test/http-test-server.js';
import { type ManagementApi, mountManagementApi, registerManagementApi } from '../src/index.js';
import { auth0ManagementClient, type ManagementCredentials } from './auth0-sdk.js';

/** Auth0's own SDK pointed at Warden over HTTP (see `auth0ManagementClient`). */
describe("Auth0's ManagementClient against Warden", () => {
  let http: HttpTestServer;
  let management: ManagementApi;
  let client: ManagementClient;
  let manager: ManagementCredentials;
  let fetched: string[];

  function managementClient(credentials: ManagementCredentials): ManagementClient {
    return auth0ManagementClient(http, management, credentials, (request) => fetched.push(request));
  }

  beforeAll(async () => {
    http = await startHttpTestServer({ overrides: { upstream: [createConnections()] } });
    management = mountManagementApi(http.t.server);
    await registerManagementApi(http.t.server);
    manager = (await http.t.admin.addClient({
      type: 'm2m',
      name: 'SDK',
      apis: [management.audience],
    })) as ManagementCredentials;
    fetched = [];
    client = managementClient(manager);
  });

  afterAll(async () => {
    await management.close();
    await http.close();
  });

  it('gets its token by client_credentials at /oauth/token and calls /api/v2 over HTTP', async () => {
    const page = await client.clients.list();
    expect(page.data.map((entry) => entry.name)).toEqual(expect.arrayContaining(['Dragons', 'SDK']));
    expect(fetched).toEqual(['POST /oauth/token', 'GET /api/v2/clients']);
  });

  it("does the article's client setup: create, get, update, rotate the secret, delete", async () => {
    const created = await client.clients.create({
      name: 'Dragons (SDK)',
      app_type: 'spa',
      callbacks: ['http://localhost:4200/callback'],
      web_origins: ['http://localhost:4200'],
    });
    expect(created).toMatchObject({
      name: 'Dragons (SDK)',
      app_type: 'spa',
      token_endpoint_auth_method: 'none',
    });
    const id = created.client_id!;
    expect(await client.clients.get(id)).toMatchObject({ callbacks: ['http://localhost:4200/callback'] });
    const updated = await client.clients.update(id, { allowed_logout_urls: ['http://localhost:4200/'] });
    expect(updated.allowed_logout_urls).toEqual(['http://localhost:4200/']);
    const m2m = await client.clients.create({ name: 'Feeder (SDK)', app_type: 'non_interactive' });
    expect(m2m.client_secret).toBeTypeOf('string');
    const rotated = await client.clients.rotateSecret(m2m.client_id!);
    expect(rotated.client_secret).toBeTypeOf('string');
    expect(rotated.client_secret).not.toBe(m2m.client_secret);
    await client.clients.delete(id);
    const gone = await client.clients.get(id).catch((error: unknown) => error);
    expect(gone).toBeInstanceOf(ManagementError);
    expect(gone).toMatchObject({ statusCode: 404, body: { errorCode: 'inexistent_client' } });
  });

  it('pages through clients with per_page and include_totals as the SDK does', async () => {
    const names: string[] = [];
    let page = await client.clients.list({ per_page: 2 });
    names.push(...page.data.map((entry) => entry.name!));
    while (page.hasNextPage()) {
      page = await page.getNextPage();
      names.push(...page.data.map((entry) => entry.name!));
    }
    expect(names).toEqual((await http.t.admin.listClients()).map((entry) => entry.name));
  });

  it('creates, reads, updates and deletes an API (resource server) by its identifier', async () => {
    const identifier = 'https://ledger.example/api/';
    const created = await client.resourceServers.create({
      name: 'Ledger',
      identifier,
      signing_alg: 'RS256',
      scopes: [{ value: 'read:ledger', description: 'Read it' }],
      skip_consent_for_verifiable_first_party_clients: true,
    });
    expect(created).toMatchObject({ id: identifier, identifier, signing_alg: 'RS256' });
    expect(await client.resourceServers.get(identifier)).toMatchObject({ name: 'Ledger' });
    const updated = await client.resourceServers.update(identifier, {
      enforce_policies: true,
      token_dialect: 'access_token_authz',
      token_lifetime: 300,
    });
    expect(updated).toMatchObject({
      enforce_policies: true,
      token_dialect: 'rfc9068_profile_authz',
      token_lifetime: 300,
    });
    const all = await client.resourceServers.list();
    expect(all.data.map((api) => api.identifier)).toEqual(
      expect.arrayContaining([apiId, identifier, management.audience]),
    );
    await client.resourceServers.delete(identifier);
    const conflict = await client.resourceServers
      .create({ identifier: apiId })
      .catch((error: unknown) => error);
    expect(conflict).toMatchObject({ statusCode: 409 });
  });

  it('manages connections and reads them by checkpoint, as the SDK lists them', async () => {
    const created = await client.connections.create({
      name: 'github',
      strategy: 'github',
      options: { client_id: 'gh', client_secret: 'gh-secret' },
    });
    expect(created).toMatchObject({ name: 'github', strategy: 'github', options: { client_id: 'gh' } });
    const updated = await client.connections.update('github', { display_name: 'GitHub' });
    expect(updated.display_name).toBe('GitHub');
    const names: string[] = [];
    for await (const connection of await client.connections.list({ take: 1 })) names.push(connection.name!);
    expect(names).toEqual(['Username-Password-Authentication', 'github']);
    await client.connections.delete('github');
  });

  it('lists, rotates and revokes signing keys', async () => {
    const before = await client.keys.signing.list();
    const previous = before.find((key) => key.current)!.kid;
    const rotated = await client.keys.signing.rotate();
    expect(rotated.kid).not.toBe(previous);
    expect(await client.keys.signing.get(previous)).toMatchObject({ previous: true });
    expect(await client.keys.signing.revoke(previous)).toMatchObject({ kid: previous });
    // The SDK's cached token was signed with the key just revoked: APIs refuse it once the
    // revocation feed reaches them. A new SDK instance gets a token signed with the current key.
    client = managementClient(manager);
    expect((await client.clients.list()).data.length).toBeGreaterThan(0);
  });

  it("answers errors in Auth0's body, which the SDK hands over as they are", async () => {
    const bad = await client.clients
      .create({
        name: 'X',
        app_type: 'spa',
        callbacks: ['http://localhost/cb'],
        logo_uri: 'https://x/logo.png',
      })
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({
      statusCode: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        errorCode: 'invalid_body',
        message: expect.stringContaining('logo_uri'),
      },
    });
    const reader = (await http.t.admin.addClient({
      type: 'm2m',
      name: 'SDK reader',
      apis: [management.audience],
      scopes: ['read:clients'],
    })) as { client_id: string; client_secret: string };
    const limited = managementClient(reader);
    expect((await limited.clients.list()).data.length).toBeGreaterThan(0);
    const denied = await limited.clients.delete(created().client_id).catch((error: unknown) => error);
    expect(denied).toMatchObject({ statusCode: 403, body: { errorCode: 'insufficient_scope' } });
    expect(await http.t.admin.getClient(created().client_id)).toBeDefined();
  });

  function created() {
    return http.t.m2m;
  }
});
