import type { ManagementClient } from 'auth0';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiId } from '../../server/test/harness.js';
import { type HttpTestServer, startHttpTestServer } from '../../server/test/http-test-server.js';
import { type ManagementApi, mountManagementApi, registerManagementApi } from '../src/index.js';
import { addManager, auth0ManagementClient } from './auth0-sdk.js';

/**
 * Auth0's own SDK (`auth0` on npm, v7: `roles.*`, `roles.permissions.*`, `roles.users.*`,
 * `users.roles.*`, `users.permissions.*`) managing Warden's roles over HTTP, with the two options
 * every non-Auth0 domain needs (see auth0-management-client.test.ts).
 */
describe("Auth0's ManagementClient manages Warden's roles", () => {
  const epoch = inject('testEpoch');
  let http: HttpTestServer;
  let management: ManagementApi;
  let client: ManagementClient;

  beforeAll(async () => {
    http = await startHttpTestServer({ clock: () => epoch });
    management = mountManagementApi(http.t.server);
    await registerManagementApi(http.t.server);
    client = auth0ManagementClient(http, management, await addManager(http, management, 'SDK'));
  });

  afterAll(async () => {
    await management.close();
    await http.close();
  });

  it('creates, gets, lists, updates and deletes a role', async () => {
    const created = await client.roles.create({ name: 'rider', description: 'Rides dragons' });
    expect(created).toEqual({
      id: expect.stringMatching(/^rol_/),
      name: 'rider',
      description: 'Rides dragons',
    });
    const id = created.id!;
    expect(await client.roles.get(id)).toEqual(created);
    const names: string[] = [];
    for await (const role of await client.roles.list({ per_page: 1 })) names.push(role.name!);
    expect(names).toEqual(['admin', 'rider']);
    const filtered = await client.roles.list({ name_filter: 'RID' });
    expect(filtered.data.map((role) => role.name)).toEqual(['rider']);
    expect(await client.roles.update(id, { description: 'Rides' })).toEqual({
      ...created,
      description: 'Rides',
    });
    await client.roles.delete(id);
    const gone = await client.roles.get(id).catch((error: unknown) => error);
    expect(gone).toMatchObject({ statusCode: 404, body: { errorCode: 'inexistent_role' } });
    const taken = await client.roles.create({ name: 'admin' }).catch((error: unknown) => error);
    expect(taken).toMatchObject({ statusCode: 409, body: { errorCode: 'role_conflict' } });
  });

  it("adds permissions to a role, assigns users, and reads a user's roles and permissions", async () => {
    const role = await client.roles.create({ name: 'keeper' });
    await client.roles.permissions.add(role.id!, {
      permissions: [{ resource_server_identifier: apiId, permission_name: 'read:dragons' }],
    });
    const permissions = await client.roles.permissions.list(role.id!);
    expect(permissions.data).toEqual([
      {
        resource_server_identifier: apiId,
        permission_name: 'read:dragons',
        resource_server_name: 'Dragons API',
      },
    ]);

    await client.roles.users.assign(role.id!, { users: [http.t.userId] });
    const members: string[] = [];
    for await (const user of await client.roles.users.list(role.id!)) members.push(user.user_id!);
    expect(members).toEqual([http.t.userId]);

    const admin = (await http.t.admin.getRole('admin')).id;
    await client.users.roles.assign(http.t.userId, { roles: [admin] });
    expect((await client.users.roles.list(http.t.userId)).data.map((r) => r.name)).toEqual([
      'admin',
      'keeper',
    ]);
    const effective = await client.users.permissions.list(http.t.userId);
    // The SDK's type leaves out `sources`, which the API sends (Auth0's too): read as sent.
    const sources = (permission: object) =>
      ((permission as { sources?: { source_name: string }[] }).sources ?? []).map((s) => s.source_name);
    expect(effective.data.map((p) => [p.permission_name, sources(p)])).toEqual([
      ['read:dragons', ['keeper']],
      ['read:orders', ['admin']],
    ]);
    await client.users.roles.delete(http.t.userId, { roles: [admin] });
    expect((await client.users.roles.list(http.t.userId)).data.map((r) => r.name)).toEqual(['keeper']);

    const direct = await client.users.permissions
      .create(http.t.userId, {
        permissions: [{ resource_server_identifier: apiId, permission_name: 'read:orders' }],
      })
      .catch((error: unknown) => error);
    expect(direct).toMatchObject({
      statusCode: 400,
      body: { errorCode: 'invalid_body', message: expect.stringContaining('through roles only') },
    });
  });
});
