import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type ManagementApi,
  mountManagementApi,
  registerManagementApi,
} from '../../../packages/management/src/index.js';
import { apiId, basic, tokenRequest } from '../../../packages/server/test/harness.js';
import {
  type HttpTestServer,
  startHttpTestServer,
  userAccessToken,
} from '../../../packages/server/test/http-test-server.js';
import { createDragonsApi, type DragonsApi } from '../src/create-dragons-api.js';

/**
 * The article's admin-only `/api/orders`, with the `admin` role made through the management API
 * instead of the CLI: the Dragons API decides from the `roles` claim of the next token.
 */
describe('the Dragons API with its admin role managed through the management API', () => {
  const epoch = inject('testEpoch');
  const clock = () => epoch;
  let idp: HttpTestServer;
  let management: ManagementApi;
  let api: DragonsApi;
  let server: Server;
  let base: string;
  let managerToken: string;

  beforeAll(async () => {
    idp = await startHttpTestServer({ clock });
    management = mountManagementApi(idp.t.server);
    await registerManagementApi(idp.t.server);
    const manager = (await idp.t.admin.addClient({
      type: 'm2m',
      name: 'Shop manager',
      apis: [management.audience],
    })) as { client_id: string; client_secret: string };
    const response = await tokenRequest(
      idp.t,
      { grant_type: 'client_credentials', audience: management.audience },
      { authorization: basic(manager.client_id, manager.client_secret) },
    );
    managerToken = ((await response.json()) as { access_token: string }).access_token;
    api = createDragonsApi({
      issuer: idp.issuer,
      audience: apiId,
      allowedOrigins: ['http://localhost:4200'],
      verifier: { clock },
    });
    server = createServer(api.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
    await management.close();
    await idp.close();
  });

  async function manage(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${idp.issuer}api/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${managerToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async function ordersStatus(login: string): Promise<number> {
    const token = await userAccessToken(idp.t, login);
    const response = await fetch(`${base}/api/orders`, { headers: { authorization: `Bearer ${token}` } });
    return response.status;
  }

  it('takes orders away with the deleted role and gives them back with a role made through the API', async () => {
    expect(await ordersStatus('admin@example.com')).toBe(200);
    const [admin] = (await (await manage('GET', '/roles?name_filter=admin')).json()) as { id: string }[];
    expect((await manage('DELETE', `/roles/${admin!.id}`)).status).toBe(204);
    expect(await ordersStatus('admin@example.com')).toBe(403);

    const created = await manage('POST', '/roles', { name: 'admin', description: 'Sees the orders' });
    expect(created.status).toBe(201);
    const role = (await created.json()) as { id: string };
    const permissions = await manage('POST', `/roles/${role.id}/permissions`, {
      permissions: [{ resource_server_identifier: apiId, permission_name: 'read:orders' }],
    });
    expect(permissions.status).toBe(201);
    expect((await manage('POST', `/roles/${role.id}/users`, { users: [idp.t.adminUserId] })).status).toBe(
      200,
    );

    expect(await ordersStatus('admin@example.com')).toBe(200);
    expect(await ordersStatus('user@example.com')).toBe(403);

    const bilbo = encodeURIComponent(idp.t.userId);
    expect((await manage('POST', `/users/${bilbo}/roles`, { roles: [role.id] })).status).toBe(204);
    expect(await ordersStatus('user@example.com')).toBe(200);
    expect((await manage('DELETE', `/users/${bilbo}/roles`, { roles: [role.id] })).status).toBe(204);
    expect(await ordersStatus('user@example.com')).toBe(403);
  });
});
