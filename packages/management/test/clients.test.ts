import { describe, expect, it } from 'vitest';
import { basic, tokenRequest } from '../../server/test/harness.js';
import { expectManagementError, storages, useManagementWorld } from './management-world.js';

interface Auth0Client {
  client_id: string;
  name: string;
  app_type: string;
  callbacks: string[];
  allowed_origins: string[];
  web_origins: string[];
  allowed_logout_urls: string[];
  is_first_party: boolean;
  grant_types: string[];
  token_endpoint_auth_method: string;
  client_secret?: string;
}

const dragons = {
  name: 'Dragons',
  app_type: 'spa',
  callbacks: ['http://localhost:4200/callback'],
  web_origins: ['http://localhost:4200'],
  allowed_logout_urls: ['http://localhost:4200/'],
};

describe.each(storages())('clients on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    async function create(body: Record<string, unknown>): Promise<Auth0Client> {
      const response = await w().call('POST', '/clients', { body });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as Auth0Client;
    }

    it("creates the article's SPA with its callback and web origin, and answers it as Auth0 does", async () => {
      const client = await create(dragons);
      expect(client).toEqual({
        client_id: expect.any(String),
        name: 'Dragons',
        app_type: 'spa',
        callbacks: ['http://localhost:4200/callback'],
        allowed_origins: ['http://localhost:4200'],
        web_origins: ['http://localhost:4200'],
        allowed_logout_urls: ['http://localhost:4200/'],
        is_first_party: true,
        oidc_conformant: true,
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'none',
      });
      const fetched = await w().call('GET', `/clients/${client.client_id}`);
      expect(fetched.status).toBe(200);
      expect(await fetched.json()).toEqual(client);
      // The domain has it, as the CLI would have made it.
      expect(await w().t.admin.getClient(client.client_id)).toMatchObject({
        type: 'spa',
        redirectUris: dragons.callbacks,
        allowedOrigins: dragons.web_origins,
        thirdParty: false,
      });
    });

    it('shows a confidential client its secret once, on create; the secret works at the token endpoint', async () => {
      const client = await create({ name: 'Feeder', app_type: 'non_interactive' });
      expect(client).toMatchObject({
        app_type: 'non_interactive',
        grant_types: ['client_credentials'],
        token_endpoint_auth_method: 'client_secret_basic',
        client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      const again = (await (await w().call('GET', `/clients/${client.client_id}`)).json()) as Auth0Client;
      expect(again).not.toHaveProperty('client_secret');
      const web = await create({
        name: 'Web',
        app_type: 'regular_web',
        callbacks: ['https://app.example/cb'],
      });
      expect(web.client_secret).toBeTypeOf('string');
      const native = await create({ name: 'CLI', app_type: 'native', callbacks: ['http://127.0.0.1/cb'] });
      expect(native).not.toHaveProperty('client_secret');
      expect(native.token_endpoint_auth_method).toBe('none');
    });

    it('makes a third-party client with is_first_party false, and turns the legacy implicit flow on with grant_types', async () => {
      const client = await create({
        ...dragons,
        is_first_party: false,
        grant_types: ['authorization_code', 'refresh_token', 'implicit'],
      });
      expect(client).toMatchObject({
        is_first_party: false,
        grant_types: expect.arrayContaining(['implicit']),
      });
      expect(await w().t.admin.getClient(client.client_id)).toMatchObject({
        thirdParty: true,
        legacyImplicit: true,
      });
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ app_type: 'spa', callbacks: dragons.callbacks }, /on property name/],
        [{ name: 'X', callbacks: dragons.callbacks }, /on property app_type/],
        [{ name: 'X', app_type: 'rms' }, /on property app_type/],
        [{ name: '', app_type: 'spa', callbacks: dragons.callbacks }, /on property name/],
        [{ name: 7, app_type: 'spa', callbacks: dragons.callbacks }, /on property name/],
        [{ name: 'X', app_type: 'spa', callbacks: 'http://localhost/cb' }, /on property callbacks/],
        [{ name: 'X', app_type: 'spa', callbacks: [7] }, /on property callbacks\.0/],
        [{ name: 'X', app_type: 'spa' }, /at least one callbacks is required/],
        [
          { name: 'X', app_type: 'spa', callbacks: ['not a url'] },
          /callbacks must be an absolute URL: not a url/,
        ],
        [
          { name: 'X', app_type: 'spa', callbacks: ['https://a.example/#x'] },
          /callbacks must not contain a fragment/,
        ],
        [
          { ...dragons, web_origins: undefined, allowed_origins: ['https://a.example/path'] },
          /allowed_origins is scheme:\/\/host\[:port\] only/,
        ],
        [{ ...dragons, allowed_origins: ['https://other.example'] }, /on property web_origins/],
        [{ ...dragons, grant_types: ['client_credentials'] }, /on property grant_types/],
        [
          { name: 'M', app_type: 'non_interactive', grant_types: ['client_credentials', 'implicit'] },
          /grant_types/,
        ],
        [
          { ...dragons, token_endpoint_auth_method: 'client_secret_post' },
          /on property token_endpoint_auth_method/,
        ],
        [{ ...dragons, oidc_conformant: false }, /on property oidc_conformant/],
        [{ ...dragons, is_first_party: 'yes' }, /on property is_first_party/],
      ];
      for (const [body, message] of cases) {
        const response = await w().call('POST', '/clients', { body });
        expect(await expectManagementError(response, 400, 'invalid_body'), JSON.stringify(body)).toMatch(
          message,
        );
      }
      expect((await w().t.admin.listClients()).map((client) => client.name)).not.toContain('X');
    });

    it('refuses an Auth0 field Warden does not support, and an unknown one, by name, never dropping them', async () => {
      const unsupported = await w().call('POST', '/clients', {
        body: { ...dragons, logo_uri: 'https://x/logo.png' },
      });
      expect(await expectManagementError(unsupported, 400, 'invalid_body')).toBe(
        "Payload validation error: 'logo_uri is an Auth0 field Warden does not support' on property logo_uri.",
      );
      const unknown = await w().call('POST', '/clients', { body: { ...dragons, colour: 'red' } });
      expect(await expectManagementError(unknown, 400, 'invalid_body')).toBe(
        "Payload validation error: 'Additional properties not allowed: colour'.",
      );
      for (const field of ['client_secret', 'jwt_configuration', 'refresh_token', 'sso', 'client_metadata']) {
        const response = await w().call('POST', '/clients', { body: { ...dragons, [field]: null } });
        expect(await expectManagementError(response, 400, 'invalid_body')).toContain(`on property ${field}`);
      }
      const patch = await w().call('PATCH', `/clients/${w().t.spa}`, {
        body: { description: 'A dragon app' },
      });
      expect(await expectManagementError(patch, 400, 'invalid_body')).toContain('description');
    });

    it('refuses a body that is not JSON, or not an object', async () => {
      const garbage = await w().t.request('/api/v2/clients', {
        method: 'POST',
        headers: { authorization: `Bearer ${await w().token()}`, 'content-type': 'application/json' },
        body: '{"name": ',
      });
      expect(await expectManagementError(garbage, 400, 'invalid_body')).toBe(
        'Invalid request payload JSON format',
      );
      const form = await w().t.request('/api/v2/clients', {
        method: 'POST',
        headers: { authorization: `Bearer ${await w().token()}`, 'content-type': 'text/plain' },
        body: 'name=X',
      });
      await expectManagementError(form, 415, 'invalid_body');
      const array = await w().call('POST', '/clients', { body: [dragons] });
      await expectManagementError(array, 400, 'invalid_body');
    });

    it('lists clients oldest first, a page at a time, with totals when asked, filtered by type', async () => {
      const all = (await (await w().call('GET', '/clients')).json()) as Auth0Client[];
      expect(all.map((client) => client.client_id)).toEqual(
        (await w().t.admin.listClients()).map((client) => client.clientId),
      );
      expect(all.length).toBe(5);
      const page = await w().call('GET', '/clients?page=1&per_page=2&include_totals=true');
      expect(await page.json()).toEqual({
        start: 2,
        limit: 2,
        length: 2,
        total: 5,
        clients: all.slice(2, 4),
      });
      const last = (await (await w().call('GET', '/clients?page=2&per_page=2')).json()) as Auth0Client[];
      expect(last).toEqual(all.slice(4));
      const spas = (await (await w().call('GET', '/clients?app_type=spa,native')).json()) as Auth0Client[];
      expect(spas.map((client) => client.app_type)).toEqual(['spa', 'spa']);
      const thirdParty = (await (
        await w().call('GET', '/clients?is_first_party=false')
      ).json()) as Auth0Client[];
      expect(thirdParty.map((client) => client.client_id)).toEqual([w().t.thirdParty]);
      expect(await (await w().call('GET', '/clients?is_global=true')).json()).toEqual([]);
      const names = (await (
        await w().call('GET', '/clients?fields=client_id,name&per_page=1')
      ).json()) as object[];
      expect(Object.keys(names[0]!).sort()).toEqual(['client_id', 'name']);
      const without = (await (
        await w().call('GET', `/clients/${w().t.spa}?fields=callbacks&include_fields=false`)
      ).json()) as object;
      expect(without).not.toHaveProperty('callbacks');
      expect(without).toHaveProperty('name', 'Dragons');
    });

    it('refuses a bad query string with a 400 naming the parameter', async () => {
      const cases: [string, RegExp][] = [
        ['per_page=0', /on property per_page/],
        ['per_page=101', /on property per_page/],
        ['page=-1', /on property page/],
        ['page=x', /on property page/],
        ['include_totals=yes', /on property include_totals/],
        ['app_type=rms', /rms is not an app type of Warden.*on property app_type/],
        ['q=name:Dragons', /Additional properties not allowed: q/],
      ];
      for (const [query, message] of cases) {
        const response = await w().call('GET', `/clients?${query}`);
        expect(await expectManagementError(response, 400, 'invalid_query_string'), query).toMatch(message);
      }
    });

    it('updates what the body gives and keeps the rest', async () => {
      const client = await create(dragons);
      const response = await w().call('PATCH', `/clients/${client.client_id}`, {
        body: {
          name: 'Dragons (prod)',
          callbacks: ['https://dragons.example/callback'],
          allowed_origins: ['https://dragons.example'],
          app_type: 'native',
        },
      });
      expect(response.status).toBe(200);
      const updated = (await response.json()) as Auth0Client;
      expect(updated).toMatchObject({
        client_id: client.client_id,
        name: 'Dragons (prod)',
        app_type: 'native',
        callbacks: ['https://dragons.example/callback'],
        web_origins: ['https://dragons.example'],
        allowed_logout_urls: ['http://localhost:4200/'],
      });
      expect(await (await w().call('GET', `/clients/${client.client_id}`)).json()).toEqual(updated);
      const implicit = await w().call('PATCH', `/clients/${client.client_id}`, {
        body: { grant_types: ['authorization_code', 'refresh_token', 'implicit'] },
      });
      expect(((await implicit.json()) as Auth0Client).grant_types).toContain('implicit');
    });

    it('refuses a change of app_type between a public and a confidential type, and bad values', async () => {
      const crossing = await w().call('PATCH', `/clients/${w().t.spa}`, {
        body: { app_type: 'regular_web' },
      });
      expect(await expectManagementError(crossing, 400, 'invalid_body')).toMatch(
        /app_type: a spa client cannot become web/,
      );
      const noCallbacks = await w().call('PATCH', `/clients/${w().t.spa}`, { body: { callbacks: [] } });
      expect(await expectManagementError(noCallbacks, 400, 'invalid_body')).toMatch(/callbacks is required/);
      const name = await w().call('PATCH', `/clients/${w().t.spa}`, { body: { name: ' ' } });
      expect(await expectManagementError(name, 400, 'invalid_body')).toMatch(/on property name/);
      expect(await w().t.admin.getClient(w().t.spa)).toMatchObject({ type: 'spa', name: 'Dragons' });
    });

    it('answers an unknown client id with 404 inexistent_client on every route', async () => {
      for (const [method, path] of [
        ['GET', '/clients/nope'],
        ['PATCH', '/clients/nope'],
        ['DELETE', '/clients/nope'],
        ['POST', '/clients/nope/rotate-secret'],
      ] as const) {
        const response = await w().call(method, path, method === 'PATCH' ? { body: { name: 'X' } } : {});
        expect(await expectManagementError(response, 404, 'inexistent_client'), `${method} ${path}`).toBe(
          'unknown client: nope',
        );
      }
    });

    it('deletes a client: it is gone, and its secret no longer gets tokens', async () => {
      const client = await create({ name: 'Feeder', app_type: 'non_interactive' });
      const response = await w().call('DELETE', `/clients/${client.client_id}`);
      expect(response.status).toBe(204);
      expect(await response.text()).toBe('');
      await expectManagementError(
        await w().call('GET', `/clients/${client.client_id}`),
        404,
        'inexistent_client',
      );
      const token = await tokenRequest(
        w().t,
        { grant_type: 'client_credentials' },
        { authorization: basic(client.client_id, client.client_secret!) },
      );
      expect(token.status).toBe(401);
    });

    it("rotates a confidential client's secret: the new one works at once, the old one no longer", async () => {
      const { client_id, client_secret } = w().t.m2m;
      const response = await w().call('POST', `/clients/${client_id}/rotate-secret`);
      expect(response.status).toBe(200);
      const rotated = (await response.json()) as Auth0Client;
      expect(rotated).toMatchObject({
        client_id,
        client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });
      expect(rotated.client_secret).not.toBe(client_secret);
      const withOld = await tokenRequest(
        w().t,
        { grant_type: 'client_credentials' },
        { authorization: basic(client_id, client_secret) },
      );
      expect(withOld.status).toBe(401);
      const withNew = await tokenRequest(
        w().t,
        { grant_type: 'client_credentials' },
        { authorization: basic(client_id, rotated.client_secret!) },
      );
      expect(withNew.status).toBe(200);
      const spa = await w().call('POST', `/clients/${w().t.spa}/rotate-secret`);
      expect(await expectManagementError(spa, 400, 'invalid_body')).toMatch(/public: it has no secret/);
    });
  });
});
