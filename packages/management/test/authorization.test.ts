import { ADMINISTRATOR_ROLE, CONSOLE_CLIENT_ID } from '@warden/server';
import { describe, expect, it } from 'vitest';
import { apiId, basic, signInWithCode, tokenRequest } from '../../server/test/harness.js';
import { clientCredentials, exchangeCode } from '../../server/test/token-helpers.js';
import { MANAGEMENT_SCOPES } from '../src/index.js';
import { expectManagementError, useManagementWorld } from './management-world.js';

interface OpenApiDocument {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, { security?: Record<string, string[]>[]; requestBody?: unknown }>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }>;
  };
}

describe('management API authorization', () => {
  const w = useManagementWorld();

  it('grants an M2M client authorized for the management API all its scopes (Auth0 scope names)', async () => {
    const response = await tokenRequest(
      w().t,
      { grant_type: 'client_credentials', audience: w().audience },
      { authorization: basic(w().manager.client_id, w().manager.client_secret) },
    );
    const body = (await response.json()) as { scope: string };
    expect(body.scope.split(' ')).toEqual(MANAGEMENT_SCOPES.map((scope) => scope.value));
    expect(body.scope.split(' ')).toEqual(
      expect.arrayContaining([
        'read:clients',
        'delete:clients',
        'update:client_keys',
        'read:signing_keys',
        'read:users',
      ]),
    );
  });

  it('answers a request without a token 401 "Missing authentication", with a Bearer challenge', async () => {
    const response = await w().call('GET', '/clients', { token: null });
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="/);
    expect(await expectManagementError(response, 401, undefined)).toBe('Missing authentication');
    // The token is read from the Authorization header only.
    const inQuery = await w().t.request(`/api/v2/clients?access_token=${await w().token()}`);
    await expectManagementError(inQuery, 401, undefined);
  });

  it('refuses a malformed, foreign-audience or expired token with 401 invalid_token', async () => {
    await expectManagementError(
      await w().call('GET', '/clients', { token: 'not.a.jwt' }),
      401,
      'invalid_token',
    );
    const dragons = (await (await clientCredentials(w().t, { audience: apiId })).json()) as {
      access_token: string;
    };
    const foreign = await w().call('GET', '/clients', { token: dragons.access_token });
    expect(foreign.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await expectManagementError(foreign, 401, 'invalid_token');
    const token = await w().token();
    w().t.advance(600 + 6); // past exp and the verifier's 5 s of clock tolerance
    const expired = await w().call('GET', '/clients', { token });
    await expectManagementError(expired, 401, 'invalid_token');
  });

  it('refuses a token without the scope of the route with 403 insufficient_scope', async () => {
    const reader = await w().addManager('Reader', ['read:clients', 'read:resource_servers']);
    const token = await w().token({ client: reader });
    expect((await w().call('GET', '/clients', { token })).status).toBe(200);
    const denied = await w().call('DELETE', `/clients/${w().t.spa}`, { token });
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(denied.headers.get('www-authenticate')).toContain('scope="delete:clients"');
    expect(await expectManagementError(denied, 403, 'insufficient_scope')).toBe(
      'Insufficient scope, expected all of: delete:clients',
    );
    expect(await w().t.admin.getClient(w().t.spa)).toMatchObject({ name: 'Dragons' });
    // Rotating keys needs both create:signing_keys and update:signing_keys.
    const updater = await w().token({ scope: 'update:signing_keys' });
    const rotate = await w().call('POST', '/keys/signing/rotate', { token: updater });
    expect(await expectManagementError(rotate, 403, 'insufficient_scope')).toMatch(
      /create:signing_keys update:signing_keys/,
    );
    // A token asked for with fewer scopes than granted carries those only.
    const narrow = await w().token({ scope: 'read:clients' });
    await expectManagementError(
      await w().call('POST', '/clients', { token: narrow, body: {} }),
      403,
      'insufficient_scope',
    );
  });

  it('lets a narrowed client ask only for the scopes it was granted', async () => {
    const reader = await w().addManager('Reader', ['read:clients']);
    const response = await tokenRequest(
      w().t,
      { grant_type: 'client_credentials', audience: w().audience, scope: 'read:clients delete:clients' },
      { authorization: basic(reader.client_id, reader.client_secret) },
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses a user token for the management API with 403, whatever its scopes', async () => {
    const flow = await signInWithCode(w().t, {
      audience: w().audience,
      scope: 'openid read:clients delete:clients',
    });
    const body = (await (await exchangeCode(w().t, flow)).json()) as { access_token: string; scope: string };
    expect(body.scope).toContain('delete:clients');
    const response = await w().call('GET', '/clients', { token: body.access_token });
    expect(await expectManagementError(response, 403, 'insufficient_scope')).toMatch(
      /machine-to-machine clients, and the console's tokens of administrators/,
    );
  });

  it("takes the console's token of an administrator, checks the role at each request, and records the administrator as the actor", async () => {
    const consoleToken = async (login: string) => {
      const flow = await signInWithCode(w().t, {
        clientId: CONSOLE_CLIENT_ID,
        redirectUri: `${w().t.issuer}console/callback`,
        audience: w().audience,
        scope: 'openid read:clients update:clients',
        login,
      });
      const response = await exchangeCode(w().t, flow, {
        client_id: CONSOLE_CLIENT_ID,
        redirect_uri: `${w().t.issuer}console/callback`,
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    // A user who is not an administrator gets a token, and the API refuses it.
    const plain = await consoleToken('user@example.com');
    expect(
      await expectManagementError(
        await w().call('GET', '/clients', { token: plain }),
        403,
        'insufficient_scope',
      ),
    ).toMatch(/role warden:admin/);

    await w().t.admin.addRole(ADMINISTRATOR_ROLE, 'Administers Warden');
    await w().t.admin.assignRole('user@example.com', ADMINISTRATOR_ROLE);
    const token = await consoleToken('user@example.com');
    expect((await w().call('GET', '/clients', { token })).status).toBe(200);
    const renamed = await w().call('PATCH', `/clients/${w().t.spa}`, { token, body: { name: 'Dragons!' } });
    expect(renamed.status).toBe(200);
    const user = await w().t.server.context.storage.users.findByLogin('user@example.com');
    const [entry] = await w().t.server.context.storage.logs.listFrom({
      take: 1,
      filter: [{ field: 'type', anyOf: ['sapi'] }],
    });
    expect(entry).toMatchObject({ clientId: CONSOLE_CLIENT_ID, userId: user!.id });

    // The console's own client is neither listed nor changeable through the API.
    const clients = (await (await w().call('GET', '/clients', { token })).json()) as { client_id: string }[];
    expect(clients.map((client) => client.client_id)).not.toContain(CONSOLE_CLIENT_ID);
    await expectManagementError(
      await w().call('PATCH', `/clients/${CONSOLE_CLIENT_ID}`, { token, body: { name: 'Mine' } }),
      404,
      'inexistent_client',
    );

    // Without the role, the same unexpired token stops working at once.
    await w().t.server.context.storage.roles.unassign(user!.id, ADMINISTRATOR_ROLE);
    await expectManagementError(await w().call('GET', '/clients', { token }), 403, 'insufficient_scope');
  });

  it('answers unknown paths with 404 in the same error body', async () => {
    expect(await expectManagementError(await w().call('GET', '/dragons'), 404, undefined)).toBe('Not Found');
    await expectManagementError(await w().call('PUT', '/clients'), 404, undefined);
  });

  it('serves an OpenAPI 3.1 document generated from the schemas, without a token', async () => {
    const response = await w().call('GET', '/openapi.json', { token: null });
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApiDocument;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([{ url: `${w().t.issuer}api/v2` }]);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/clients',
      '/clients/{id}',
      '/clients/{id}/rotate-secret',
      '/connections',
      '/connections/{id}',
      '/keys/signing',
      '/keys/signing/rotate',
      '/keys/signing/{kid}',
      '/keys/signing/{kid}/revoke',
      '/logs',
      '/logs/{id}',
      '/resource-servers',
      '/resource-servers/{id}',
      '/roles',
      '/roles/{id}',
      '/roles/{id}/permissions',
      '/roles/{id}/users',
      '/stats/active-users',
      '/stats/daily',
      '/stats/hourly',
      '/users',
      '/users-by-email',
      '/users/{id}',
      '/users/{id}/authentication-methods',
      '/users/{id}/authentication-methods/{authentication_method_id}',
      '/users/{id}/identities/{provider}/{user_id}',
      '/users/{id}/logs',
      '/users/{id}/permissions',
      '/users/{id}/roles',
      '/users/{id}/sessions',
      '/users/{id}/sessions/{session_id}',
    ]);
    expect(doc.paths['/clients']!.get!.security).toEqual([{ management: ['read:clients'] }]);
    expect(doc.paths['/clients/{id}']!.delete!.security).toEqual([{ management: ['delete:clients'] }]);
    const create = doc.components.schemas.ClientCreate!;
    expect(create.additionalProperties).toBe(false);
    expect(Object.keys(create.properties!)).toEqual(
      expect.arrayContaining(['name', 'app_type', 'callbacks', 'logo_uri']),
    );
  });

  it('asks every route of the document for a token, and each one refuses a token without its scope', async () => {
    const doc = (await (await w().call('GET', '/openapi.json', { token: null })).json()) as OpenApiDocument;
    // read:logs_users alone opens nothing: /users/{id}/logs needs read:logs with it.
    const none = await w().addManager('Nothing', ['read:logs_users']);
    const token = await w().token({ client: none });
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const concrete = path.replace(/\{[^}]+\}/g, 'x');
        const body = operation.requestBody ? {} : undefined;
        const anonymous = await w().call(method.toUpperCase(), concrete, { token: null, body });
        await expectManagementError(anonymous, 401, undefined);
        const scopes = operation.security![0]!.management!;
        const denied = await w().call(method.toUpperCase(), concrete, { token, body });
        expect(await expectManagementError(denied, 403, 'insufficient_scope'), `${method} ${path}`).toContain(
          scopes.join(' '),
        );
      }
    }
  });
});
