import type { ManagementClient } from 'auth0';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type HttpTestServer, startHttpTestServer } from '../../server/test/http-test-server.js';
import { type ManagementApi, mountManagementApi, registerManagementApi } from '../src/index.js';
import { addManager, auth0ManagementClient, type ManagementCredentials } from './auth0-sdk.js';

/**
 * Auth0's own SDK (`auth0` on npm, v7: `users.*`, `users.sessions.*`,
 * `users.authenticationMethods.*`) managing Warden's users over HTTP, with the two options every
 * non-Auth0 domain needs (see auth0-management-client.test.ts).
 */
describe("Auth0's ManagementClient manages Warden's users", () => {
  const epoch = inject('testEpoch');
  let http: HttpTestServer;
  let management: ManagementApi;

  function sdk(credentials: ManagementCredentials): ManagementClient {
    return auth0ManagementClient(http, management, credentials);
  }

  async function manager(name: string, scopes?: string[]) {
    return addManager(http, management, name, scopes);
  }

  beforeAll(async () => {
    http = await startHttpTestServer({ clock: () => epoch });
    management = mountManagementApi(http.t.server);
    await registerManagementApi(http.t.server);
  });

  afterAll(async () => {
    await management.close();
    await http.close();
  });

  it('creates, gets, searches, blocks, finds by email and deletes a user', async () => {
    const client = sdk(await manager('SDK'));
    const created = await client.users.create({
      connection: 'Username-Password-Authentication',
      email: 'Frodo@Example.com',
      password: 'one ring to rule',
      name: 'Frodo Baggins',
    });
    expect(created).toMatchObject({ email: 'frodo@example.com', name: 'Frodo Baggins', blocked: false });
    const id = created.user_id!;
    expect(await client.users.get(id)).toEqual(created);

    const found = await client.users.list({ q: 'email:"FRODO@example.com"', search_engine: 'v3' });
    expect(found.data.map((user) => user.user_id)).toEqual([id]);
    const emails: string[] = [];
    for await (const user of await client.users.list({ per_page: 1 })) emails.push(user.email!);
    expect(emails.sort()).toEqual(['admin@example.com', 'frodo@example.com', 'user@example.com']);

    const blocked = await client.users.update(id, { blocked: true, nickname: 'Mr. Underhill' });
    expect(blocked).toMatchObject({ blocked: true, nickname: 'Mr. Underhill' });
    expect(await client.users.listUsersByEmail({ email: 'frodo@EXAMPLE.com' })).toEqual([blocked]);

    const methods = await client.users.authenticationMethods.list(id);
    expect(methods.data).toEqual([{ id: 'password', type: 'password', created_at: expect.any(String) }]);
    const sessions = await client.users.sessions.list(id);
    expect(sessions.data).toEqual([]);

    await client.users.delete(id);
    const gone = await client.users.get(id).catch((error: unknown) => error);
    expect(gone).toMatchObject({ statusCode: 404, body: { errorCode: 'inexistent_user' } });
  });

  it("answers refusals in Auth0's body: a bad field, a taken email, a missing scope", async () => {
    const client = sdk(await manager('SDK 2'));
    const bad = await client.users
      .create({
        connection: 'Username-Password-Authentication',
        email: 'sam@example.com',
        password: 'po-tay-toes',
        app_metadata: { gardener: true },
      })
      .catch((error: unknown) => error);
    expect(bad).toMatchObject({
      statusCode: 400,
      body: { errorCode: 'invalid_body', message: expect.stringContaining('app_metadata') },
    });
    const taken = await client.users
      .create({
        connection: 'Username-Password-Authentication',
        email: 'USER@example.com',
        password: 'po-tay-toes',
      })
      .catch((error: unknown) => error);
    expect(taken).toMatchObject({ statusCode: 409, body: { errorCode: 'user_exists' } });
    const search = await client.users.list({ q: 'name:x OR email:y' }).catch((error: unknown) => error);
    expect(search).toMatchObject({ statusCode: 400, body: { errorCode: 'invalid_query_string' } });

    const reader = sdk(await manager('SDK reader', ['read:users']));
    expect((await reader.users.get(http.t.userId)).email).toBe('user@example.com');
    const denied = await reader.users.delete(http.t.userId).catch((error: unknown) => error);
    expect(denied).toMatchObject({ statusCode: 403, body: { errorCode: 'insufficient_scope' } });
    expect(await http.t.admin.getUser(http.t.userId)).toMatchObject({ email: 'user@example.com' });
  });
});
