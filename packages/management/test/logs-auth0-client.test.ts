import type { ManagementClient } from 'auth0';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type HttpTestServer, startHttpTestServer } from '../../server/test/http-test-server.js';
import { type ManagementApi, mountManagementApi, registerManagementApi } from '../src/index.js';
import { addManager, auth0ManagementClient } from './auth0-sdk.js';

const DAY = 86_400_000;
const LIMIT = 40;

/**
 * Auth0's own SDK (`auth0` on npm, v7: `logs.list`, `logs.get`, `users.logs.list`,
 * `stats.getDaily`, `stats.getActiveUsersCount`) reading Warden's audit log over HTTP, with the two
 * options every non-Auth0 domain needs (see auth0-management-client.test.ts), on the test's clock.
 */
describe("Auth0's ManagementClient reads Warden's logs and stats", () => {
  const epoch = inject('testEpoch');
  let now = epoch;
  let http: HttpTestServer;
  let management: ManagementApi;
  let client: ManagementClient;

  beforeAll(async () => {
    http = await startHttpTestServer({
      clock: () => now,
      overrides: { managementRateLimit: { limit: LIMIT, window: 60 } },
    });
    management = mountManagementApi(http.t.server);
    await registerManagementApi(http.t.server);
    client = auth0ManagementClient(http, management, await addManager(http, management, 'SDK'));
    const audit = http.t.server.context.audit;
    now = Math.floor(epoch / DAY) * DAY + DAY + 3_600_000;
    await audit.record({
      type: 's',
      userId: http.t.userId,
      userName: 'user@example.com',
      clientId: 'sdk-seed',
    });
    now += 60_000;
    await audit.record({
      type: 'fp',
      userId: http.t.userId,
      userName: 'user@example.com',
      clientId: 'sdk-seed',
    });
    now += 60_000;
    await audit.record({
      type: 'ss',
      userId: 'auth0|new',
      userName: 'new@example.com',
      clientId: 'sdk-seed',
    });
  });

  afterAll(async () => {
    await management.close();
    await http.close();
  });

  it('searches the log (search, paging with totals) and gets one entry', async () => {
    const page = await client.logs.list({ search: 'client_id:sdk-seed', per_page: 2 });
    expect(page.data.map((log) => log.type)).toEqual(['ss', 'fp']);
    expect(page.response).toMatchObject({ start: 0, limit: 2, length: 2, total: 3 });
    // getNextPage moves the page object itself on: keep what the first page held.
    const [newest] = page.data;
    expect(page.hasNextPage()).toBe(true);
    const next = await page.getNextPage();
    expect(next.data.map((log) => log.type)).toEqual(['s']);
    const all: string[] = [];
    for await (const log of await client.logs.list({ search: 'client_id:sdk-seed', sort: 'date:1' })) {
      all.push(log.type!);
    }
    expect(all).toEqual(['s', 'fp', 'ss']);
    const one = await client.logs.get(newest!.log_id!);
    expect(one).toEqual(newest);
    expect(one).toMatchObject({
      user_id: 'auth0|new',
      user_name: 'new@example.com',
      date: new Date(now).toISOString(),
    });
    const refused = await client.logs.list({ search: 'type:s*' }).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      statusCode: 400,
      body: { errorCode: 'invalid_query_string', message: expect.stringContaining('on property search') },
    });
    const missing = await client.logs.get('99999999').catch((error: unknown) => error);
    expect(missing).toMatchObject({ statusCode: 404, body: { errorCode: 'inexistent_log' } });
  });

  it("lists a user's entries", async () => {
    const logs = await client.users.logs.list(http.t.userId, { per_page: 10 });
    expect(logs.data.map((log) => log.type)).toEqual(['fp', 's']);
  });

  it('reads the daily stats and the active users', async () => {
    const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
    const daily = await client.stats.getDaily({ from: day, to: day });
    expect(daily).toEqual([
      {
        date: new Date(Math.floor(now / DAY) * DAY).toISOString(),
        logins: 1,
        signups: 1,
        leaked_passwords: 0,
        updated_at: new Date(now).toISOString(),
        created_at: new Date(Math.floor(now / DAY) * DAY).toISOString(),
      },
    ]);
    expect(await client.stats.getActiveUsersCount()).toBe(1);
  });

  it('gets a TooManyRequestsError with Retry-After once its budget is spent', async () => {
    let error: unknown;
    for (let request = 0; request <= LIMIT && error === undefined; request += 1) {
      error = await client.stats.getActiveUsersCount().catch((caught: unknown) => caught);
      if (typeof error === 'number') error = undefined;
    }
    expect(error).toMatchObject({ statusCode: 429, body: { errorCode: 'too_many_requests' } });
    const headers = (error as { rawResponse: { headers: Headers } }).rawResponse.headers;
    expect(headers.get('retry-after')).toBe('60');
    expect(headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
    expect(headers.get('x-ratelimit-remaining')).toBe('0');
  });
});
