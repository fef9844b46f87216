import { DATABASE_CONNECTION } from '@warden/server';
import { describe, expect, it } from 'vitest';
import { expectManagementError, storages, useManagementWorld } from './management-world.js';

interface Auth0Connection {
  id: string;
  name: string;
  display_name: string;
  strategy: string;
  options: Record<string, unknown>;
  enabled_clients: string[];
  is_domain_connection: boolean;
  realms: string[];
}

const github = {
  name: 'github',
  strategy: 'github',
  options: { client_id: 'gh-client', client_secret: 'gh-secret-value', scope: 'read:user user:email' },
};

describe.each(storages())('connections on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    async function create(body: Record<string, unknown>): Promise<Auth0Connection> {
      const response = await w().call('POST', '/connections', { body });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as Auth0Connection;
    }

    it('lists the password database as Auth0 does (strategy auth0), enabled for every client', async () => {
      const list = (await (await w().call('GET', '/connections')).json()) as Auth0Connection[];
      expect(list).toEqual([
        {
          id: DATABASE_CONNECTION,
          name: DATABASE_CONNECTION,
          display_name: 'Email and password',
          strategy: 'auth0',
          options: {},
          enabled_clients: (await w().t.admin.listClients()).map((client) => client.clientId).sort(),
          is_domain_connection: false,
          realms: [DATABASE_CONNECTION],
        },
      ]);
    });

    it('creates a connection for some clients, never answering its secret', async () => {
      const connection = await create({ ...github, display_name: 'GitHub', enabled_clients: [w().t.spa] });
      expect(connection).toEqual({
        id: 'github',
        name: 'github',
        display_name: 'GitHub',
        strategy: 'github',
        options: expect.objectContaining({ client_id: 'gh-client', scope: 'read:user user:email' }),
        enabled_clients: [w().t.spa],
        is_domain_connection: false,
        realms: ['github'],
      });
      expect(JSON.stringify(connection)).not.toContain('gh-secret-value');
      const fetched = await w().call('GET', '/connections/github');
      expect(await fetched.json()).toEqual(connection);
      expect(JSON.stringify(await (await w().call('GET', '/connections')).json())).not.toContain(
        'gh-secret-value',
      );
      expect(await w().t.admin.getConnection('github')).toMatchObject({
        hasClientSecret: true,
        preset: 'github',
      });
      // Auth0's names of the social strategies are taken as Warden's.
      const x = await create({
        name: 'x',
        strategy: 'twitter',
        options: { client_id: 'x', client_secret: 's' },
      });
      expect(x.strategy).toBe('x');
    });

    it('updates display name, settings and enabled clients; the secret stays unless given', async () => {
      await create(github);
      const response = await w().call('PATCH', '/connections/github', {
        body: {
          display_name: 'GitHub (work)',
          options: { scope: 'read:user', trust_email: true },
          enabled_clients: [w().t.spa, w().t.web.client_id],
        },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        display_name: 'GitHub (work)',
        options: { client_id: 'gh-client', scope: 'read:user', trust_email: true },
        enabled_clients: [w().t.spa, w().t.web.client_id].sort(),
      });
      expect(await w().t.admin.getConnection('github')).toMatchObject({ hasClientSecret: true });
      const database = await w().call('PATCH', `/connections/${DATABASE_CONNECTION}`, {
        body: { enabled_clients: [w().t.spa] },
      });
      expect(await database.json()).toMatchObject({ enabled_clients: [w().t.spa] });
    });

    it('refuses bad input naming the field or the option', async () => {
      const cases: [string, string, Record<string, unknown>, RegExp][] = [
        ['POST', '/connections', { ...github, name: 'bad name' }, /^name must be letters/],
        ['POST', '/connections', { ...github, strategy: 'saml' }, /strategy must be one of/],
        ['POST', '/connections', { ...github, strategy: 'auth0' }, /on property strategy/],
        [
          'POST',
          '/connections',
          { ...github, options: { client_secret: 's' } },
          /options\.client_id: is required/,
        ],
        [
          'POST',
          '/connections',
          { ...github, options: { ...github.options, colour: 'red' } },
          /options\.colour: is not a setting/,
        ],
        [
          'POST',
          '/connections',
          { ...github, options: { ...github.options, clientId: 'x' } },
          /on property options\.clientId/,
        ],
        [
          'POST',
          '/connections',
          { ...github, options: { ...github.options, trust_email: 'yes' } },
          /options\.trust_email/,
        ],
        ['POST', '/connections', { ...github, enabled_clients: ['nobody'] }, /unknown client: nobody/],
        [
          'POST',
          '/connections',
          { ...github, is_domain_connection: true },
          /on property is_domain_connection/,
        ],
        ['POST', '/connections', { ...github, realms: ['other'] }, /on property realms/],
        [
          'POST',
          '/connections',
          { ...github, metadata: {} },
          /metadata is an Auth0 field Warden does not support/,
        ],
        ['POST', '/connections', { ...github, enabled: true }, /Additional properties not allowed: enabled/],
        [
          'PATCH',
          `/connections/${DATABASE_CONNECTION}`,
          { display_name: 'Passwords' },
          /has no settings to change/,
        ],
        ['PATCH', `/connections/${DATABASE_CONNECTION}`, { strategy: 'oidc' }, /on property strategy/],
        ['DELETE', `/connections/${DATABASE_CONNECTION}`, {}, /cannot be removed/],
      ];
      for (const [method, path, body, message] of cases) {
        const response = await w().call(method, path, method === 'DELETE' ? {} : { body });
        expect(await expectManagementError(response, 400, 'invalid_body'), JSON.stringify(body)).toMatch(
          message,
        );
      }
      expect((await w().t.admin.listConnections()).map((connection) => connection.name)).toEqual([
        DATABASE_CONNECTION,
      ]);
    });

    it('refuses a taken name with 409 and an unknown one with 404', async () => {
      await create(github);
      const again = await w().call('POST', '/connections', { body: github });
      expect(await expectManagementError(again, 409, 'connection_conflict')).toBe(
        'connection github already exists',
      );
      for (const [method, body] of [['GET'], ['PATCH', { display_name: 'X' }], ['DELETE']] as const) {
        const response = await w().call(method, '/connections/gitlab', body ? { body } : {});
        expect(await expectManagementError(response, 404, 'inexistent_connection')).toBe(
          'unknown connection: gitlab',
        );
      }
    });

    it('deletes a connection', async () => {
      await create(github);
      const response = await w().call('DELETE', '/connections/github');
      expect(response.status).toBe(204);
      await expectManagementError(await w().call('GET', '/connections/github'), 404, 'inexistent_connection');
    });

    it('pages by offset or by checkpoint, and filters by strategy and name', async () => {
      for (const name of ['c-one', 'c-three', 'c-two']) await create({ ...github, name });
      const all = (await (await w().call('GET', '/connections')).json()) as Auth0Connection[];
      expect(all.map((connection) => connection.name)).toEqual([
        DATABASE_CONNECTION,
        'c-one',
        'c-three',
        'c-two',
      ]);
      const offset = await w().call('GET', '/connections?per_page=2&page=1&include_totals=true');
      expect(await offset.json()).toMatchObject({
        start: 2,
        limit: 2,
        length: 2,
        total: 4,
        connections: all.slice(2),
      });
      const first = (await (await w().call('GET', '/connections?take=3&include_totals=true')).json()) as {
        connections: Auth0Connection[];
        next?: string;
      };
      expect(first.connections).toEqual(all.slice(0, 3));
      expect(first.next).toBeTypeOf('string');
      const next = encodeURIComponent(first.next!);
      const second = (await (await w().call('GET', `/connections?take=3&from=${next}`)).json()) as {
        connections: Auth0Connection[];
        next?: string;
      };
      expect(second).toEqual({ connections: all.slice(3) });
      const filtered = await w().call('GET', '/connections?strategy=github&name=c-two');
      expect(((await filtered.json()) as Auth0Connection[]).map((connection) => connection.name)).toEqual([
        'c-two',
      ]);
      const byStrategy = await w().call('GET', '/connections?strategy=auth0&strategy=oidc');
      expect(((await byStrategy.json()) as Auth0Connection[]).map((connection) => connection.name)).toEqual([
        DATABASE_CONNECTION,
      ]);
      const mixed = await w().call('GET', '/connections?take=2&page=1');
      await expectManagementError(mixed, 400, 'invalid_query_string');
    });
  });
});
