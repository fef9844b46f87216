import { randomBytes } from 'node:crypto';
import { OAuthError } from '@warden/protocol/core';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/postgres-store.js';
import { createRedisStore } from '../src/redis-store.js';
import { hashSessionId } from '../src/session-id.js';
import { createSessionManager, type SessionManager } from '../src/session-manager.js';
import type { SessionStore } from '../src/session-store.js';
import { SessionStoreUnavailableError } from '../src/session-store-unavailable-error.js';
import {
  closedPort,
  eventually,
  type PausableProxy,
  settled,
  startBlackHole,
  startPausableProxy,
} from './pausable-proxy.js';

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
if (!redisUrl) console.warn('REDIS_URL is unset: skipping the Redis fail-closed tests.');
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL fail-closed tests.');

/** The stores' per-call deadline in these tests. */
const TIMEOUT_MS = 300;
/** A call still pending this long hangs: far above the deadline, so load never trips it. */
const HANG_MS = 10_000;

/** `url` with its host and port replaced by the proxy's. */
function through(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(port);
  return parsed.toString();
}

function targetOf(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

/** Asserts that `call` rejected with SessionStoreUnavailableError instead of hanging. */
async function expectUnavailable(call: Promise<unknown>): Promise<void> {
  const { error } = await settled(call, HANG_MS);
  expect(error).toBeInstanceOf(SessionStoreUnavailableError);
}

/** Asserts that the manager turned the outage into a 503 `temporarily_unavailable` instead of hanging. */
async function expectServiceUnavailable(call: Promise<unknown>): Promise<void> {
  const { error } = await settled(call, HANG_MS);
  expect(error).toBeInstanceOf(OAuthError);
  expect(error).toMatchObject({ error: 'temporarily_unavailable', status: 503 });
  expect((error as OAuthError).cause).toBeInstanceOf(SessionStoreUnavailableError);
}

/**
 * The same outage story for each network store: up, slow (every byte held), back, down (port
 * closed, connections dropped), back. `open` builds the store against `url`.
 */
function outageStory(
  name: string,
  serverUrl: string | undefined,
  defaultPort: number,
  open: (url: string) => Promise<SessionStore>,
): void {
  describe.skipIf(!serverUrl)(`${name} slow or down`, () => {
    let proxy: PausableProxy;
    let store: SessionStore;
    let sessions: SessionManager;

    beforeAll(async () => {
      proxy = await startPausableProxy(targetOf(serverUrl!, defaultPort));
      store = await open(through(serverUrl!, proxy.port));
      sessions = createSessionManager({ store });
    });

    afterAll(async () => {
      await proxy.close();
      await store.close?.();
    });

    it('fails closed, no call hanging, while the server hangs, and recovers when it answers again', async () => {
      const { id } = await sessions.create('user-1', { n: 1 });
      proxy.pause();
      await expectServiceUnavailable(sessions.load(id));
      await expectServiceUnavailable(sessions.create('user-1'));
      await expectServiceUnavailable(sessions.update(id, (data) => ({ ...data, n: 2 })));
      await expectUnavailable(store.get(hashSessionId(id)));
      proxy.resume();
      expect(await eventually(() => sessions.load(id))).toMatchObject({ userId: 'user-1' });
      // A write is either applied or refused, never half-done: n is 1 or 2 and the session is whole.
      expect(await sessions.update(id, (data) => ({ ...data, after: true }))).toMatchObject({
        data: { after: true },
      });
    });

    it('fails closed, no call hanging, while the server is down, and recovers when it is back', async () => {
      const { id } = await sessions.create('user-1');
      await proxy.stop();
      await expectServiceUnavailable(sessions.load(id));
      await expectServiceUnavailable(sessions.destroyAllForUser('user-1'));
      await expectUnavailable(store.listForUser('user-1'));
      await proxy.start();
      expect(await eventually(() => sessions.load(id))).toMatchObject({ userId: 'user-1' });
      await sessions.destroy(id);
      expect(await sessions.load(id)).toBeUndefined();
    });

    it('answers every one of many calls made during an outage, none left hanging', async () => {
      const { id } = await sessions.create('user-1');
      proxy.pause();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => settled(sessions.load(id), HANG_MS)),
      );
      proxy.resume();
      for (const { error } of results) expect(error).toMatchObject({ error: 'temporarily_unavailable' });
      expect(await eventually(() => sessions.load(id))).toBeDefined();
    });
  });
}

describe.skipIf(!redisUrl)('Redis store against a server that never answers, or no server', () => {
  const prefix = `warden-test-${randomBytes(6).toString('hex')}:`;
  let cleanup: Redis;

  beforeAll(() => {
    cleanup = new Redis(redisUrl!);
  });

  afterAll(async () => {
    const keys = await cleanup.keys(`${prefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await cleanup.quit();
  });

  it('rejects instead of hanging when the server accepts and never answers', async () => {
    const hole = await startBlackHole();
    const store = createRedisStore({ redis: `redis://127.0.0.1:${hole.port}`, prefix, timeout: TIMEOUT_MS });
    try {
      await expectUnavailable(store.get(hashSessionId('x')));
      await expectUnavailable(store.destroy(hashSessionId('x')));
    } finally {
      await store.close?.();
      await hole.close();
    }
  });

  it('rejects instead of hanging when nothing listens', async () => {
    const port = await closedPort();
    const store = createRedisStore({ redis: `redis://127.0.0.1:${port}`, prefix, timeout: TIMEOUT_MS });
    try {
      await expectUnavailable(store.get(hashSessionId('x')));
    } finally {
      await store.close?.();
    }
  });

  it('waits for a connection still opening instead of failing the first calls', async () => {
    const store = createRedisStore({ redis: redisUrl!, prefix, timeout: 2_000 });
    try {
      expect(await store.get(hashSessionId('x'))).toBeUndefined();
    } finally {
      await store.close?.();
    }
  });
});

describe.skipIf(!databaseUrl)('PostgreSQL store against a server that never answers, or no server', () => {
  it('rejects instead of hanging when the server accepts and never answers', async () => {
    const hole = await startBlackHole();
    try {
      await expectUnavailable(
        createPostgresStore({ database: through(databaseUrl!, hole.port), timeout: TIMEOUT_MS }),
      );
    } finally {
      await hole.close();
    }
  });

  it('rejects instead of hanging when nothing listens', async () => {
    const port = await closedPort();
    await expectUnavailable(
      createPostgresStore({ database: through(databaseUrl!, port), timeout: TIMEOUT_MS }),
    );
  });
});

const redisPrefixes: string[] = [];
outageStory('Redis', redisUrl, 6379, async (url) => {
  const prefix = `warden-test-${randomBytes(6).toString('hex')}:`;
  redisPrefixes.push(prefix);
  return createRedisStore({ redis: url, prefix, timeout: TIMEOUT_MS });
});

afterAll(async () => {
  if (redisUrl && redisPrefixes.length > 0) {
    const redis = new Redis(redisUrl);
    for (const prefix of redisPrefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
    await redis.quit();
  }
});

const tables: string[] = [];
outageStory('PostgreSQL', databaseUrl, 5432, async (url) => {
  const table = `sessions_test_${randomBytes(6).toString('hex')}`;
  tables.push(table);
  return createPostgresStore({ database: url, table, timeout: TIMEOUT_MS });
});

afterAll(async () => {
  if (databaseUrl && tables.length > 0) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const table of tables) await client.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(table)}`);
    await client.end();
  }
});
