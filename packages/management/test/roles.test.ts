import { decodeJwt } from '@warden/protocol';
import { ADMINISTRATOR_ROLE } from '@warden/server';
import { describe, expect, it } from 'vitest';
import { allLogs } from '../../server/test/audit-helpers.js';
import { apiId, signInWithCode } from '../../server/test/harness.js';
import { exchangeCode } from '../../server/test/token-helpers.js';
import { MANAGEMENT_SCOPES } from '../src/index.js';
import { expectManagementError, storages, useManagementWorld } from './management-world.js';

interface Role {
  id: string;
  name: string;
  description: string;
}

const orders = { resource_server_identifier: apiId, permission_name: 'read:orders' };
const dragons = { resource_server_identifier: apiId, permission_name: 'read:dragons' };

describe.each(storages())('roles on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    async function createRole(name: string, description?: string): Promise<Role> {
      const response = await w().call('POST', '/roles', {
        body: { name, ...(description === undefined ? {} : { description }) },
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as Role;
    }

    /** The admin user's next access token for the Dragons API (RBAC on: roles and permissions in it). */
    async function adminToken(login = 'admin@example.com') {
      const flow = await signInWithCode(w().t, { login, scope: 'openid read:orders read:dragons' });
      const body = (await (await exchangeCode(w().t, flow)).json()) as { access_token: string };
      return decodeJwt(body.access_token).payload as { roles?: string[]; permissions?: string[] };
    }

    it('creates a role with a rol_ id, gets it by id, and lists it by name', async () => {
      const created = await createRole('keeper', 'Keeps the dragons');
      expect(created).toEqual({
        id: expect.stringMatching(/^rol_[0-9a-f]{32}$/),
        name: 'keeper',
        description: 'Keeps the dragons',
      });
      expect(await (await w().call('GET', `/roles/${created.id}`)).json()).toEqual(created);
      const all = (await (await w().call('GET', '/roles')).json()) as Role[];
      expect(all.map((role) => role.name)).toEqual(['admin', 'keeper']);
      expect(all[1]).toEqual(created);
      // Without a description, the role has an empty one (as Auth0 answers it).
      expect(await createRole('rider')).toMatchObject({ name: 'rider', description: '' });
    });

    it('filters roles by name in any letter case and pages them with totals', async () => {
      for (const name of ['dragon-keeper', 'Dragon-Rider', 'shopkeeper']) await createRole(name);
      const filtered = (await (await w().call('GET', '/roles?name_filter=DRAGON')).json()) as Role[];
      expect(filtered.map((role) => role.name)).toEqual(['Dragon-Rider', 'dragon-keeper']);
      const page = await (await w().call('GET', '/roles?per_page=2&page=1&include_totals=true')).json();
      expect(page).toMatchObject({ start: 2, limit: 2, length: 2, total: 4 });
      expect((page as { roles: Role[] }).roles.map((role) => role.name)).toEqual([
        'dragon-keeper',
        'shopkeeper',
      ]);
      const bad = await w().call('GET', '/roles?per_page=500');
      expect(await expectManagementError(bad, 400, 'invalid_query_string')).toContain('per_page');
    });

    it('refuses a taken name with 409 and bad input with 400 naming the field', async () => {
      const taken = await w().call('POST', '/roles', { body: { name: 'admin' } });
      expect(await expectManagementError(taken, 409, 'role_conflict')).toBe('role admin already exists');
      const badName = await w().call('POST', '/roles', { body: { name: 'two words' } });
      expect(await expectManagementError(badName, 400, 'invalid_body')).toBe(
        'name must be 1-64 letters, digits or _.:-',
      );
      const missing = await w().call('POST', '/roles', { body: { description: 'x' } });
      expect(await expectManagementError(missing, 400, 'invalid_body')).toContain('on property name');
      const extra = await w().call('POST', '/roles', { body: { name: 'x', permissions: [] } });
      expect(await expectManagementError(extra, 400, 'invalid_body')).toContain(
        'Additional properties not allowed: permissions',
      );
      const long = await w().call('POST', '/roles', { body: { name: 'x', description: 'd'.repeat(256) } });
      expect(await expectManagementError(long, 400, 'invalid_body')).toContain('on property description');
      const control = await w().call('POST', '/roles', { body: { name: 'x', description: 'a\u0000b' } });
      expect(await expectManagementError(control, 400, 'invalid_body')).toContain('description must be');
      expect((await w().t.admin.listRoles()).map((role) => role.name)).toEqual(['admin']);
    });

    it('answers 404 inexistent_role for an unknown role id on every role path', async () => {
      const unknown = '/roles/rol_00000000000000000000000000000000';
      const calls: [string, string, unknown?][] = [
        ['GET', unknown],
        ['PATCH', unknown, { description: 'x' }],
        ['DELETE', unknown],
        ['GET', `${unknown}/permissions`],
        ['POST', `${unknown}/permissions`, { permissions: [orders] }],
        ['DELETE', `${unknown}/permissions`, { permissions: [orders] }],
        ['GET', `${unknown}/users`],
        ['POST', `${unknown}/users`, { users: [w().t.userId] }],
      ];
      for (const [method, path, body] of calls) {
        const response = await w().call(method, path, body === undefined ? {} : { body });
        expect(await expectManagementError(response, 404, 'inexistent_role'), `${method} ${path}`).toBe(
          'unknown role: rol_00000000000000000000000000000000',
        );
      }
    });

    it('renames and describes a role; its id, permissions and users stay; a taken name is 409', async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const renamed = await w().call('PATCH', `/roles/${admin}`, {
        body: { name: 'shop-admin', description: 'Runs the shop' },
      });
      expect(await renamed.json()).toEqual({ id: admin, name: 'shop-admin', description: 'Runs the shop' });
      expect(await adminToken()).toMatchObject({ roles: ['shop-admin'], permissions: ['read:orders'] });
      const only = await w().call('PATCH', `/roles/${admin}`, { body: { description: 'Only this' } });
      expect(await only.json()).toEqual({ id: admin, name: 'shop-admin', description: 'Only this' });

      await createRole('rider');
      const taken = await w().call('PATCH', `/roles/${admin}`, { body: { name: 'rider' } });
      expect(await expectManagementError(taken, 409, 'role_conflict')).toBe('role rider already exists');
      const bad = await w().call('PATCH', `/roles/${admin}`, { body: { name: '' } });
      expect(await expectManagementError(bad, 400, 'invalid_body')).toContain('on property name');
      expect(await w().t.admin.getRole(admin)).toMatchObject({ name: 'shop-admin' });
    });

    it('deletes a role with its assignments: 204, then 404; the next token no longer carries it', async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      expect(await adminToken()).toMatchObject({ roles: ['admin'], permissions: ['read:orders'] });
      const deleted = await w().call('DELETE', `/roles/${admin}`);
      expect(deleted.status).toBe(204);
      await expectManagementError(await w().call('GET', `/roles/${admin}`), 404, 'inexistent_role');
      expect(await w().t.admin.listUserRoles(w().t.adminUserId)).toEqual([]);
      expect(await adminToken()).toMatchObject({ roles: [], permissions: [] });
      // The name is free again.
      expect(await createRole('admin')).toMatchObject({ name: 'admin' });
    });

    it('keeps the administrator role: it may be described, not renamed or deleted (400)', async () => {
      const created = await createRole(ADMINISTRATOR_ROLE);
      const described = await w().call('PATCH', `/roles/${created.id}`, {
        body: { description: 'Runs Warden' },
      });
      expect(described.status).toBe(200);
      const renamed = await w().call('PATCH', `/roles/${created.id}`, { body: { name: 'root' } });
      expect(await expectManagementError(renamed, 400, 'invalid_body')).toBe(
        `the role ${ADMINISTRATOR_ROLE} makes users administrators of Warden: it cannot be renamed`,
      );
      const deleted = await w().call('DELETE', `/roles/${created.id}`);
      expect(await expectManagementError(deleted, 400, 'invalid_body')).toMatch(/cannot be deleted$/);
      expect(await w().t.admin.getRole(ADMINISTRATOR_ROLE)).toMatchObject({ description: 'Runs Warden' });
    });

    it("adds, lists and removes a role's permissions; the next token carries them at once", async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const added = await w().call('POST', `/roles/${admin}/permissions`, {
        body: { permissions: [dragons] },
      });
      expect(added.status).toBe(201);
      expect(await (await w().call('GET', `/roles/${admin}/permissions`)).json()).toEqual([
        { ...dragons, resource_server_name: 'Dragons API' },
        { ...orders, resource_server_name: 'Dragons API' },
      ]);
      expect(await adminToken()).toMatchObject({ permissions: ['read:dragons', 'read:orders'] });

      const paged = await w().call('GET', `/roles/${admin}/permissions?per_page=1&include_totals=true`);
      expect(await paged.json()).toMatchObject({ start: 0, limit: 1, length: 1, total: 2 });

      const removed = await w().call('DELETE', `/roles/${admin}/permissions`, {
        body: { permissions: [orders] },
      });
      expect(removed.status).toBe(204);
      expect(await adminToken()).toMatchObject({ roles: ['admin'], permissions: ['read:dragons'] });
    });

    it('describes a permission with the scope description the API gives it', async () => {
      await w().t.admin.updateApi(apiId, { scopeDescriptions: { 'read:orders': 'See the orders' } });
      const admin = (await w().t.admin.getRole('admin')).id;
      expect(await (await w().call('GET', `/roles/${admin}/permissions`)).json()).toEqual([
        { ...orders, resource_server_name: 'Dragons API', description: 'See the orders' },
      ]);
    });

    it('refuses a permission of an unknown API or one the API does not define, naming permissions', async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const foreign = await w().call('POST', `/roles/${admin}/permissions`, {
        body: {
          permissions: [
            dragons,
            { resource_server_identifier: 'https://nowhere.example/', permission_name: 'x' },
          ],
        },
      });
      expect(await expectManagementError(foreign, 400, 'invalid_body')).toBe(
        'permissions names an unknown API: https://nowhere.example/',
      );
      const notScope = await w().call('POST', `/roles/${admin}/permissions`, {
        body: { permissions: [{ resource_server_identifier: apiId, permission_name: 'delete:dragons' }] },
      });
      expect(await expectManagementError(notScope, 400, 'invalid_body')).toBe(
        `permissions delete:dragons is not a scope of the API ${apiId}`,
      );
      const empty = await w().call('POST', `/roles/${admin}/permissions`, { body: { permissions: [] } });
      expect(await expectManagementError(empty, 400, 'invalid_body')).toContain('on property permissions');
      const misnamed = await w().call('POST', `/roles/${admin}/permissions`, {
        body: { permissions: [{ resource_server_identifier: apiId, permission: 'read:dragons' }] },
      });
      expect(await expectManagementError(misnamed, 400, 'invalid_body')).toContain('permissions.0');
      // Nothing was added by the refused requests (all or none).
      expect((await w().t.admin.getRole(admin)).permissions).toEqual([
        { api: apiId, permission: 'read:orders' },
      ]);
    });

    it("assigns users to a role and pages through the role's users by offset and by checkpoint", async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const extra: string[] = [];
      for (const n of [1, 2, 3]) {
        extra.push(
          (await w().t.admin.addUser({ email: `rider${n}@example.com`, password: 'a long password 123' }))
            .user_id,
        );
      }
      const assigned = await w().call('POST', `/roles/${admin}/users`, {
        body: { users: [w().t.userId, ...extra] },
      });
      expect(assigned.status).toBe(200);
      const members = [w().t.adminUserId, w().t.userId, ...extra].sort();

      const all = (await (await w().call('GET', `/roles/${admin}/users`)).json()) as { user_id: string }[];
      expect(all.map((user) => user.user_id).sort()).toEqual(members);
      const bilbo = all.find((user) => user.user_id === w().t.userId);
      expect(bilbo).toEqual({ user_id: w().t.userId, email: 'user@example.com', name: 'Bilbo Baggins' });

      const offset = await (
        await w().call('GET', `/roles/${admin}/users?per_page=2&page=2&include_totals=true`)
      ).json();
      expect(offset).toMatchObject({ start: 4, limit: 2, length: 1, total: 5 });

      const seen: string[] = [];
      let next: string | undefined;
      let pages = 0;
      do {
        const query = `take=2${next ? `&from=${encodeURIComponent(next)}` : ''}`;
        const page = (await (await w().call('GET', `/roles/${admin}/users?${query}`)).json()) as {
          users: { user_id: string }[];
          next?: string;
        };
        seen.push(...page.users.map((user) => user.user_id));
        next = page.next;
        pages += 1;
      } while (next && pages < 10);
      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual(members);

      const mixed = await w().call('GET', `/roles/${admin}/users?take=2&page=1`);
      expect(await expectManagementError(mixed, 400, 'invalid_query_string')).toContain('from');
    });

    it('refuses to assign an unknown user to a role, and assigns nobody then', async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const response = await w().call('POST', `/roles/${admin}/users`, {
        body: { users: [w().t.userId, 'auth0|ghost'] },
      });
      expect(await expectManagementError(response, 400, 'invalid_body')).toBe(
        'users names an unknown user: auth0|ghost',
      );
      expect(await w().t.admin.listUserRoles(w().t.userId)).toEqual([]);
      const empty = await w().call('POST', `/roles/${admin}/users`, { body: { users: [] } });
      expect(await expectManagementError(empty, 400, 'invalid_body')).toContain('on property users');
    });

    it("assigns, lists and removes a user's roles; the user's next token follows", async () => {
      const rider = await createRole('rider');
      await w().call('POST', `/roles/${rider.id}/permissions`, { body: { permissions: [dragons] } });
      const admin = (await w().t.admin.getRole('admin')).id;
      const path = `/users/${encodeURIComponent(w().t.userId)}/roles`;

      expect(await (await w().call('GET', path)).json()).toEqual([]);
      const assigned = await w().call('POST', path, { body: { roles: [admin, rider.id] } });
      expect(assigned.status).toBe(204);
      const roles = (await (await w().call('GET', path)).json()) as Role[];
      expect(roles.map((role) => role.name)).toEqual(['admin', 'rider']);
      expect(await adminToken('user@example.com')).toMatchObject({
        roles: ['admin', 'rider'],
        permissions: ['read:orders', 'read:dragons'],
      });
      const totals = await (await w().call('GET', `${path}?include_totals=true&per_page=1`)).json();
      expect(totals).toMatchObject({ start: 0, limit: 1, length: 1, total: 2, roles: [{ name: 'admin' }] });

      const removed = await w().call('DELETE', path, { body: { roles: [admin] } });
      expect(removed.status).toBe(204);
      expect(await adminToken('user@example.com')).toMatchObject({
        roles: ['rider'],
        permissions: ['read:dragons'],
      });
    });

    it("refuses an unknown role in a user's roles (400 naming roles) and an unknown user (404)", async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const path = `/users/${encodeURIComponent(w().t.userId)}/roles`;
      const ghost = await w().call('POST', path, { body: { roles: [admin, 'rol_ghost'] } });
      expect(await expectManagementError(ghost, 400, 'invalid_body')).toBe(
        'roles names an unknown role: rol_ghost',
      );
      expect(await w().t.admin.listUserRoles(w().t.userId)).toEqual([]);
      for (const [method, body] of [
        ['GET', undefined],
        ['POST', { roles: [admin] }],
        ['DELETE', { roles: [admin] }],
      ] as const) {
        const response = await w().call(method, '/users/auth0%7Cghost/roles', body ? { body } : {});
        expect(await expectManagementError(response, 404, 'inexistent_user')).toBe(
          'unknown user: auth0|ghost',
        );
      }
      const permissions = await w().call('GET', '/users/auth0%7Cghost/permissions');
      await expectManagementError(permissions, 404, 'inexistent_user');
    });

    it("lists a user's permissions through their roles, each once with its sources", async () => {
      const admin = await w().t.admin.getRole('admin');
      const rider = await createRole('rider');
      await w().call('POST', `/roles/${rider.id}/permissions`, { body: { permissions: [dragons, orders] } });
      await w().call('POST', `/users/${w().t.adminUserId}/roles`, { body: { roles: [rider.id] } });
      const response = await w().call('GET', `/users/${w().t.adminUserId}/permissions`);
      expect(await response.json()).toEqual([
        {
          ...dragons,
          resource_server_name: 'Dragons API',
          sources: [{ source_id: rider.id, source_name: 'rider', source_type: 'ROLE' }],
        },
        {
          ...orders,
          resource_server_name: 'Dragons API',
          sources: [
            { source_id: admin.id, source_name: 'admin', source_type: 'ROLE' },
            { source_id: rider.id, source_name: 'rider', source_type: 'ROLE' },
          ],
        },
      ]);
      const paged = await w().call(
        'GET',
        `/users/${w().t.adminUserId}/permissions?include_totals=true&per_page=1`,
      );
      expect(await paged.json()).toMatchObject({
        total: 2,
        length: 1,
        permissions: [{ permission_name: 'read:dragons' }],
      });
      expect(await (await w().call('GET', `/users/${w().t.userId}/permissions`)).json()).toEqual([]);
    });

    it('refuses permissions given to a user directly (400: use a role), and records the refusal', async () => {
      for (const method of ['POST', 'DELETE']) {
        const response = await w().call(method, `/users/${w().t.userId}/permissions`, {
          body: { permissions: [orders] },
        });
        expect(await expectManagementError(response, 400, 'invalid_body')).toBe(
          'permissions: Warden grants permissions through roles only: add the permission to a role and assign the role to the user',
        );
      }
      const unknown = await w().call('POST', '/users/auth0%7Cghost/permissions', {
        body: { permissions: [orders] },
      });
      await expectManagementError(unknown, 404, 'inexistent_user');
      const refusals = (await allLogs(w().t)).filter((log) => log.type === 'fapi');
      expect(refusals.map((log) => log.description)).toEqual([
        'Add permissions to a user',
        'Remove permissions from a user',
        'Add permissions to a user',
      ]);
      expect(refusals[0]).toMatchObject({
        clientId: w().manager.client_id,
        details: { target: { user_id: w().t.userId } },
      });
    });

    it('records each change in the audit log with the client and what changed', async () => {
      const role = await createRole('rider', 'Rides');
      await w().call('PATCH', `/roles/${role.id}`, { body: { name: 'dragon-rider' } });
      await w().call('POST', `/roles/${role.id}/permissions`, { body: { permissions: [dragons] } });
      await w().call('DELETE', `/roles/${role.id}/permissions`, { body: { permissions: [dragons] } });
      await w().call('POST', `/roles/${role.id}/users`, { body: { users: [w().t.userId] } });
      await w().call('POST', `/users/${w().t.userId}/roles`, {
        body: { roles: [(await w().t.admin.getRole('admin')).id] },
      });
      await w().call('DELETE', `/users/${w().t.userId}/roles`, { body: { roles: [role.id] } });
      await w().call('DELETE', `/roles/${role.id}`);
      await w().call('POST', '/roles', { body: { name: 'admin' } });

      const logs = (await allLogs(w().t)).filter(
        (log) => (log.type === 'sapi' || log.type === 'fapi') && log.clientId === w().manager.client_id,
      );
      expect(logs.map((log) => [log.type, log.description])).toEqual([
        ['sapi', 'Create a role'],
        ['sapi', 'Update a role'],
        ['sapi', 'Add permissions to a role'],
        ['sapi', 'Remove permissions from a role'],
        ['sapi', 'Assign users to a role'],
        ['sapi', 'Assign roles to a user'],
        ['sapi', 'Remove roles from a user'],
        ['sapi', 'Delete a role'],
        ['fapi', 'Create a role'],
      ]);
      const target = { role_id: role.id };
      expect(logs[0]!.details).toMatchObject({
        target,
        before: null,
        after: { name: 'rider', description: 'Rides' },
      });
      expect(logs[1]!.details).toMatchObject({
        target,
        before: { name: 'rider' },
        after: { name: 'dragon-rider' },
      });
      expect(logs[2]!.details).toMatchObject({
        target,
        before: { permissions: [] },
        after: { permissions: [{ api: apiId, permission: 'read:dragons' }] },
      });
      expect(logs[4]!.details).toMatchObject({
        target,
        before: { users: [] },
        after: { users: [w().t.userId] },
      });
      expect(logs[5]!.details).toMatchObject({
        target: { user_id: w().t.userId },
        before: { roles: ['dragon-rider'] },
        after: { roles: ['admin', 'dragon-rider'] },
      });
      expect(logs[7]!.details).toMatchObject({ target, before: { name: 'dragon-rider' }, after: null });
      expect(logs[8]!.details).toMatchObject({
        error: { type: 'conflict', message: 'role admin already exists' },
      });
    });

    it('answers 403 insufficient_scope to a token without the scope an endpoint needs, and changes nothing', async () => {
      const admin = (await w().t.admin.getRole('admin')).id;
      const user = encodeURIComponent(w().t.userId);
      const endpoints: [string, string, string, unknown?][] = [
        ['GET', '/roles', 'read:roles'],
        ['POST', '/roles', 'create:roles', { name: 'rider' }],
        ['GET', `/roles/${admin}`, 'read:roles'],
        ['PATCH', `/roles/${admin}`, 'update:roles', { description: 'x' }],
        ['DELETE', `/roles/${admin}`, 'delete:roles'],
        ['GET', `/roles/${admin}/permissions`, 'read:roles'],
        ['POST', `/roles/${admin}/permissions`, 'update:roles', { permissions: [dragons] }],
        ['DELETE', `/roles/${admin}/permissions`, 'update:roles', { permissions: [orders] }],
        ['GET', `/roles/${admin}/users`, 'read:role_members'],
        ['POST', `/roles/${admin}/users`, 'create:role_members', { users: [w().t.userId] }],
        ['GET', `/users/${user}/roles`, 'read:role_members'],
        ['POST', `/users/${user}/roles`, 'create:role_members', { roles: [admin] }],
        ['DELETE', `/users/${user}/roles`, 'delete:role_members', { roles: [admin] }],
        ['GET', `/users/${user}/permissions`, 'read:users'],
        ['POST', `/users/${user}/permissions`, 'update:users', { permissions: [orders] }],
        ['DELETE', `/users/${user}/permissions`, 'update:users', { permissions: [orders] }],
      ];
      const everything = MANAGEMENT_SCOPES.map((scope) => scope.value);
      const managers = new Map<string, string>();
      for (const [method, path, scope, body] of endpoints) {
        if (!managers.has(scope)) {
          const client = await w().addManager(
            `Without ${scope}`,
            everything.filter((s) => s !== scope),
          );
          managers.set(scope, await w().token({ client }));
        }
        const response = await w().call(method, path, {
          token: managers.get(scope)!,
          ...(body ? { body } : {}),
        });
        expect(await expectManagementError(response, 403, 'insufficient_scope'), `${method} ${path}`).toBe(
          `Insufficient scope, expected all of: ${scope}`,
        );
      }
      expect(await w().t.admin.listRoles()).toEqual([
        {
          id: admin,
          name: 'admin',
          description: 'Sees orders',
          permissions: [{ api: apiId, permission: 'read:orders' }],
        },
      ]);
      expect(await w().t.admin.listUserRoles(w().t.userId)).toEqual([]);
    });

    it('describes every role path in the OpenAPI document with its scope', async () => {
      const document = (await (await w().t.request('/api/v2/openapi.json')).json()) as {
        paths: Record<string, Record<string, { security: Record<string, string[]>[] }>>;
      };
      const scopes = (path: string, method: string) =>
        document.paths[path]?.[method]?.security[0]?.management;
      expect(scopes('/roles', 'get')).toEqual(['read:roles']);
      expect(scopes('/roles/{id}', 'patch')).toEqual(['update:roles']);
      expect(scopes('/roles/{id}/users', 'post')).toEqual(['create:role_members']);
      expect(scopes('/users/{id}/roles', 'delete')).toEqual(['delete:role_members']);
      expect(scopes('/users/{id}/permissions', 'get')).toEqual(['read:users']);
    });
  });
});
