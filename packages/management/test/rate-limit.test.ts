import { createConnections } from '@warden/connections';
import { randomToken } from '@warden/protocol';
import { type AuthorizationServer, createAuthorizationServer, purgeExpired } from '@warden/server';
import { createMemoryStore } from '@warden/session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basic, startTestServer, type TestServer, tokenRequest } from '../../server/test/harness.js';
import { type ManagementApi, mountManagementApi, registerManagementApi } from '../src/index.js';
import { expectManagementError, storages } from './management-world.js';

const LIMIT = 5;
const WINDOW = 10;

interface Credentials {
  client_id: string;
  client_secret: string;
}

describe.each(storages())('the management API rate limit on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    let t: TestServer;
    let management: ManagementApi;
    let audience: string;
    let closing: (() => Promise<void>)[];

    beforeEach(async () => {
      t = await startTestServer(
        { upstream: [createConnections()], managementRateLimit: { limit: LIMIT, window: WINDOW } },
        databaseUrl ? { databaseUrl } : {},
      );
      management = mountManagementApi(t.server);
      await registerManagementApi(t.server);
      audience = management.audience;
      closing = [() => management.close(), () => t.close()];
    });

    afterEach(async () => {
      for (const close of closing) await close();
    });

    async function addManager(name: string): Promise<Credentials> {
      return (await t.admin.addClient({ type: 'm2m', name, apis: [audience] })) as Credentials;
    }

    async function tokenOf(client: Credentials): Promise<string> {
      const response = await tokenRequest(
        t,
        { grant_type: 'client_credentials', audience },
        { authorization: basic(client.client_id, client.client_secret) },
      );
      return ((await response.json()) as { access_token: string }).access_token;
    }

    function listClients(
      token: string,
      server: Pick<AuthorizationServer, 'app'> = t.server,
    ): Promise<Response> {
      return Promise.resolve(
        server.app.request('/api/v2/clients', { headers: { authorization: `Bearer ${token}` } }),
      );
    }

    /** Moves the fake clock to `seconds` into a window, so a test starts at a known place in it. */
    function toWindowSecond(seconds: number): number {
      const windowMs = WINDOW * 1000;
      const start = Math.floor(t.clock() / windowMs) * windowMs + windowMs;
      t.advance((start + seconds * 1000 - t.clock()) / 1000);
      return start;
    }

    it("answers the request over the budget with 429, Retry-After and Auth0's x-ratelimit headers; the next window passes", async () => {
      const token = await tokenOf(await addManager('Busy'));
      const start = toWindowSecond(3);
      const reset = String((start + WINDOW * 1000) / 1000);
      for (let request = 1; request <= LIMIT; request += 1) {
        const response = await listClients(token);
        expect(response.status).toBe(200);
        expect(response.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
        expect(response.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - request));
        expect(response.headers.get('x-ratelimit-reset')).toBe(reset);
      }
      const refused = await listClients(token);
      expect(refused.headers.get('retry-after')).toBe('7');
      expect(refused.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('x-ratelimit-reset')).toBe(reset);
      const message = await expectManagementError(refused, 429, 'too_many_requests');
      expect(message).toContain(`${LIMIT} per ${WINDOW} s`);
      // Later in the same window: still refused, with less to wait.
      t.advance(5.5);
      const later = await listClients(token);
      expect(later.status).toBe(429);
      expect(later.headers.get('retry-after')).toBe('2');
      // The next window passes again, with the whole budget.
      t.advance(1.5);
      const next = await listClients(token);
      expect(next.status).toBe(200);
      expect(next.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
      expect(next.headers.get('x-ratelimit-reset')).toBe(String((start + 2 * WINDOW * 1000) / 1000));
    });

    it('counts each client on its own: another client is not affected', async () => {
      const busy = await tokenOf(await addManager('Busy'));
      const calm = await tokenOf(await addManager('Calm'));
      toWindowSecond(0);
      for (let request = 0; request < LIMIT; request += 1) expect((await listClients(busy)).status).toBe(200);
      expect((await listClients(busy)).status).toBe(429);
      const other = await listClients(calm);
      expect(other.status).toBe(200);
      expect(other.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
      expect((await listClients(busy)).status).toBe(429);
    });

    it('counts requests refused for their scope too, but not those without a valid token', async () => {
      const narrow = (await t.admin.addClient({
        type: 'm2m',
        name: 'Narrow',
        apis: [audience],
        scopes: ['read:logs'],
      })) as Credentials;
      const token = await tokenOf(narrow);
      toWindowSecond(0);
      for (let request = 0; request < LIMIT + 3; request += 1) {
        expect((await listClients('not-a-token')).status).toBe(401);
      }
      for (let request = 0; request < LIMIT; request += 1)
        expect((await listClients(token)).status).toBe(403);
      await expectManagementError(await listClients(token), 429, 'too_many_requests');
    });

    it('is shared by idp instances on one database', async () => {
      const second = createAuthorizationServer({
        issuer: t.issuer,
        storage: t.server.context.storage,
        sessionStore: createMemoryStore(),
        secret: randomToken(32),
        clock: t.clock,
        managementRateLimit: { limit: LIMIT, window: WINDOW },
      });
      const secondManagement = mountManagementApi(second);
      closing.unshift(() => secondManagement.close());
      const token = await tokenOf(await addManager('Spread'));
      toWindowSecond(0);
      for (let request = 0; request < LIMIT; request += 1) {
        const server = request % 2 === 0 ? t.server : second;
        expect((await listClients(token, server)).status).toBe(200);
      }
      await expectManagementError(await listClients(token, second), 429, 'too_many_requests');
      await expectManagementError(await listClients(token, t.server), 429, 'too_many_requests');
      // The maintenance job forgets counters of windows that have ended, and only those.
      await purgeExpired(t.server.context);
      expect((await listClients(token)).status).toBe(429);
      t.advance(WINDOW);
      expect((await listClients(token, second)).status).toBe(200);
      t.advance(WINDOW + 1);
      await purgeExpired(t.server.context);
      expect(await t.server.context.storage.rateLimits.deleteBefore(Number.MAX_SAFE_INTEGER)).toBe(0);
    });

    it('counts a request of an instance whose clock lags in the stored window, and restarts at a later one', async () => {
      const { rateLimits } = t.server.context.storage;
      expect(await rateLimits.hit('lagging', 20_000)).toEqual({ count: 1, windowStart: 20_000 });
      expect(await rateLimits.hit('lagging', 10_000)).toEqual({ count: 2, windowStart: 20_000 });
      expect(await rateLimits.hit('lagging', 20_000)).toEqual({ count: 3, windowStart: 20_000 });
      expect(await rateLimits.hit('lagging', 30_000)).toEqual({ count: 1, windowStart: 30_000 });
      expect(await rateLimits.hit('other', 10_000)).toEqual({ count: 1, windowStart: 10_000 });
      expect(await rateLimits.deleteBefore(30_000)).toBe(1);
    });

    it('refuses a budget that is not a positive whole number', () => {
      for (const managementRateLimit of [{ limit: 0 }, { window: 1.5 }, { limit: -1 }]) {
        expect(() =>
          createAuthorizationServer({
            issuer: t.issuer,
            storage: t.server.context.storage,
            sessionStore: createMemoryStore(),
            secret: randomToken(32),
            managementRateLimit,
          }),
        ).toThrow(/managementRateLimit\.(limit|window) must be a positive integer/);
      }
    });
  });
});
