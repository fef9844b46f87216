import type { AuditEvent, Auth0Log } from '@warden/server';
import { describe, expect, it } from 'vitest';
import {
  expectManagementError,
  type ManagementWorld,
  storages,
  useManagementWorld,
} from './management-world.js';

type Log = Auth0Log & { log_id: string };

interface LogPage {
  start: number;
  limit: number;
  length: number;
  total: number;
  logs: Log[];
}

/** The seeded entries all name this client, so a search for it leaves out the world's own entries. */
const APP = 'seed-app';

/** Records `event` a minute after the previous one, as the server would (its clock, its audit log). */
async function record(w: ManagementWorld, event: AuditEvent): Promise<void> {
  w.t.advance(60);
  await w.t.server.context.audit.record({ clientId: APP, clientName: 'Seed', ...event });
}

/** Three sign-in events of two users, a sign-up, and a failure; oldest first. */
async function seed(w: ManagementWorld): Promise<void> {
  await record(w, {
    type: 's',
    userId: 'auth0|bilbo',
    userName: 'bilbo@example.com',
    connection: 'Username-Password-Authentication',
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (test)',
  });
  await record(w, {
    type: 'fp',
    userId: 'auth0|bilbo',
    userName: 'bilbo@example.com',
    ip: '203.0.113.8',
    details: { reason: 'wrong password' },
  });
  await record(w, { type: 'ss', userId: 'auth0|frodo', userName: 'frodo@example.com', ip: '203.0.113.7' });
  await record(w, {
    type: 's',
    userId: 'auth0|frodo',
    userName: 'frodo@example.com',
    connection: 'guild',
    ip: '198.51.100.1',
  });
  await record(w, { type: 'fu', userName: 'nobody@example.com', ip: '198.51.100.1' });
}

describe.each(storages())('logs on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    /** GET with one token of the manager (a token request writes an entry of its own). */
    async function get(path: string, token?: string): Promise<Response> {
      return w().call('GET', path, { token: token ?? (await w().token()) });
    }

    async function logs(path: string, token?: string): Promise<Log[]> {
      const response = await get(path, token);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as Log[];
    }

    const seeded = `q=${encodeURIComponent(`client_id:${APP}`)}`;

    it("lists entries newest first, in Auth0's log shape", async () => {
      await seed(w());
      const listed = await logs(`/logs?${seeded}`);
      expect(listed.map((log) => log.type)).toEqual(['fu', 's', 'ss', 'fp', 's']);
      const epoch = w().t.clock() - 5 * 60_000;
      expect(listed[4]).toEqual({
        log_id: expect.stringMatching(/^\d{20}$/),
        date: new Date(epoch + 60_000).toISOString(),
        type: 's',
        description: 'Success Login',
        client_id: APP,
        client_name: 'Seed',
        connection: 'Username-Password-Authentication',
        user_id: 'auth0|bilbo',
        user_name: 'bilbo@example.com',
        ip: '203.0.113.7',
        user_agent: 'Mozilla/5.0 (test)',
      });
      expect(listed[3]).toMatchObject({ type: 'fp', details: { reason: 'wrong password' } });
      expect(listed[0]).not.toHaveProperty('user_id');
      const ids = listed.map((log) => log.log_id);
      expect([...ids].sort().reverse()).toEqual(ids);
    });

    it('gets one entry by its log_id; an unknown id is a 404, a malformed one a 400', async () => {
      await seed(w());
      const [newest] = await logs(`/logs?${seeded}&per_page=1`);
      expect(await logs(`/logs/${newest!.log_id}`)).toEqual(newest);
      await expectManagementError(await get('/logs/99999999999'), 404, 'inexistent_log');
      const message = await expectManagementError(await get('/logs/not-an-id'), 400, 'invalid_uri');
      expect(message).toContain('on property id');
    });

    it('searches with q: a field, values joined by OR, several terms, a date range', async () => {
      await seed(w());
      const search = (q: string) => logs(`/logs?q=${encodeURIComponent(q)}`);
      expect((await search('type:fp')).map((log) => log.user_id)).toEqual(['auth0|bilbo']);
      expect((await search(`client_id:${APP} AND (type:fp OR type:fu)`)).map((log) => log.type)).toEqual([
        'fu',
        'fp',
      ]);
      expect((await search('user_id:"auth0|frodo"')).map((log) => log.type)).toEqual(['s', 'ss']);
      expect((await search('connection:guild')).map((log) => log.user_id)).toEqual(['auth0|frodo']);
      expect((await search('ip:203.0.113.7')).map((log) => log.type)).toEqual(['ss', 's']);
      expect((await search('user_name:"nobody@example.com"')).map((log) => log.type)).toEqual(['fu']);
      const epoch = w().t.clock() - 5 * 60_000;
      const second = new Date(epoch + 2 * 60_000).toISOString();
      const fourth = new Date(epoch + 4 * 60_000).toISOString();
      expect((await search(`client_id:${APP} date:[${second} TO ${fourth}]`)).map((log) => log.type)).toEqual(
        ['s', 'ss', 'fp'],
      );
      expect((await search(`client_id:${APP} date:{${second} TO ${fourth}]`)).map((log) => log.type)).toEqual(
        ['s', 'ss'],
      );
      // `search` is the name Auth0's current SDK sends: the same grammar.
      expect((await logs(`/logs?search=${encodeURIComponent('type:fu')}`)).map((log) => log.type)).toEqual([
        'fu',
      ]);
    });

    it('refuses a search it does not support with a 400 that names what is wrong', async () => {
      const refused = async (q: string, words: string) => {
        const message = await expectManagementError(
          await get(`/logs?q=${encodeURIComponent(q)}`),
          400,
          'invalid_query_string',
        );
        expect(message).toContain('on property q');
        expect(message).toContain(words);
      };
      await refused('user_agent:curl', 'cannot search "user_agent"');
      await refused('details.reason:x', 'details.reason:x');
      await refused('type:s*', 'wildcards');
      await refused('NOT type:s', 'NOT');
      await refused('type:s OR user_id:x', 'OR joins values of one field only');
      await refused('date:[2024-02-30 TO *]', '2024-02-30 is not a date');
      await refused('type:s AND', 'ends with AND');
      const both = await expectManagementError(
        await get('/logs?q=type:s&search=type:f'),
        400,
        'invalid_query_string',
      );
      expect(both).toContain('on property search');
      const search = await expectManagementError(
        await get('/logs?search=type:s*'),
        400,
        'invalid_query_string',
      );
      expect(search).toContain('on property search');
    });

    it('pages by offset with page, per_page, include_totals and sort', async () => {
      await seed(w());
      const newest = await logs(`/logs?${seeded}`);
      const response = await get(`/logs?${seeded}&page=1&per_page=2&include_totals=true`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        start: 2,
        limit: 2,
        length: 2,
        total: 5,
        logs: newest.slice(2, 4),
      } satisfies LogPage);
      expect(await logs(`/logs?${seeded}&sort=date:1`)).toEqual([...newest].reverse());
      expect(await logs(`/logs?${seeded}&sort=date:-1&page=2&per_page=2`)).toEqual(newest.slice(4));
      expect(await logs(`/logs?${seeded}&page=3&per_page=2`)).toEqual([]);
    });

    it('selects fields with fields and include_fields', async () => {
      await seed(w());
      const only = await logs(`/logs?${seeded}&per_page=2&fields=type,user_id`);
      expect(only).toEqual([{ type: 'fu' }, { type: 's', user_id: 'auth0|frodo' }]);
      const without = await logs(
        `/logs?${seeded}&per_page=1&fields=details,user_agent,ip,date&include_fields=false`,
      );
      expect(Object.keys(without[0]!).sort()).toEqual([
        'client_id',
        'client_name',
        'description',
        'log_id',
        'type',
        'user_name',
      ]);
    });

    it('refuses bad paging and unknown parameters with a 400 naming them', async () => {
      const refused = async (query: string, property: string) => {
        const message = await expectManagementError(await get(`/logs?${query}`), 400, 'invalid_query_string');
        expect(message).toContain(property);
      };
      await refused('per_page=101', 'per_page');
      await refused('per_page=0', 'per_page');
      await refused('page=-1', 'page');
      await refused('page=10&per_page=100', 'only the first 1000 entries');
      await refused('include_totals=yes', 'include_totals');
      await refused('sort=type:1', 'sort');
      await refused('take=0', 'take');
      await refused('take=101', 'take');
      await refused('from=abc', 'from');
      await refused('from=1&page=0', 'on property page');
      await refused('take=5&include_totals=true', 'on property include_totals');
      await refused('from=1&sort=date:1', 'on property sort');
      await refused('search_engine=v3', 'Additional properties not allowed: search_engine');
    });

    it('pages by checkpoint (from, take) across pages, skipping and repeating nothing while entries are appended', async () => {
      await seed(w());
      const token = await w().token();
      // Without from: the newest `take`, newest first.
      const newest = await logs(`/logs?${seeded}&take=2`, token);
      expect(newest.map((log) => log.type)).toEqual(['fu', 's']);
      const [oldest] = await logs(`/logs?${seeded}&sort=date:1&per_page=1`, token);
      const seen: Log[] = [oldest!];
      let from = oldest!.log_id;
      let appended = 0;
      for (let round = 0; round < 20; round += 1) {
        const page = await logs(`/logs?${seeded}&from=${from}&take=2`, token);
        // New entries land while the reader is between pages.
        if (appended < 6) {
          appended += 1;
          await record(w(), { type: 'slo', userId: `auth0|late-${appended}` });
        }
        if (page.length === 0 && appended === 6) break;
        seen.push(...page);
        if (page.length > 0) from = page.at(-1)!.log_id;
      }
      const all = await logs(`/logs?${seeded}&sort=date:1&per_page=100`, token);
      expect(all).toHaveLength(11);
      expect(seen.map((log) => log.log_id)).toEqual(all.map((log) => log.log_id));
      expect(seen).toEqual(all);
      // From the newest: nothing; fields apply to checkpoint pages too.
      expect(await logs(`/logs?${seeded}&from=${from}&take=100`, token)).toEqual([]);
      expect(await logs(`/logs?${seeded}&from=${oldest!.log_id}&take=1&fields=type`, token)).toEqual([
        { type: 'fp' },
      ]);
    });

    it("lists a user's entries at /users/{id}/logs with read:logs and read:logs_users", async () => {
      await seed(w());
      const listed = await logs('/users/auth0%7Cbilbo/logs');
      expect(listed.map((log) => [log.type, log.user_id])).toEqual([
        ['fp', 'auth0|bilbo'],
        ['s', 'auth0|bilbo'],
      ]);
      const page = await get('/users/auth0%7Cbilbo/logs?per_page=1&page=1&include_totals=true&sort=date:-1');
      expect(await page.json()).toEqual({ start: 1, limit: 1, length: 1, total: 2, logs: [listed[1]] });
      expect(await logs('/users/auth0%7Cbilbo/logs?sort=date:1')).toEqual([...listed].reverse());
      // The log outlives the user: an id no user has answers its entries (here none).
      expect(await logs('/users/auth0%7Cgone/logs')).toEqual([]);
      await expectManagementError(
        await get('/users/auth0%7Cbilbo/logs?q=type:s'),
        400,
        'invalid_query_string',
      );
      await expectManagementError(
        await get('/users/auth0%7Cbilbo/logs?per_page=500'),
        400,
        'invalid_query_string',
      );
    });

    it("needs read:logs (and read:logs_users for a user's entries) and a token", async () => {
      await seed(w());
      const noLogs = await w().addManager('No logs', ['read:clients']);
      const logsOnly = await w().addManager('Logs only', ['read:logs']);
      const tokenOf = (client: { client_id: string; client_secret: string }) => w().token({ client });
      const refused = await expectManagementError(
        await get('/logs', await tokenOf(noLogs)),
        403,
        'insufficient_scope',
      );
      expect(refused).toContain('read:logs');
      await expectManagementError(await get('/logs/1', await tokenOf(noLogs)), 403, 'insufficient_scope');
      const logsOnlyToken = await tokenOf(logsOnly);
      expect((await get(`/logs?${seeded}`, logsOnlyToken)).status).toBe(200);
      const user = await expectManagementError(
        await get('/users/auth0%7Cbilbo/logs', logsOnlyToken),
        403,
        'insufficient_scope',
      );
      expect(user).toContain('read:logs_users');
      await expectManagementError(await w().call('GET', '/logs', { token: null }), 401, undefined);
      await expectManagementError(
        await w().call('GET', '/logs', { token: 'not-a-token' }),
        401,
        'invalid_token',
      );
    });
  });
});
