import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/redis-store.js';
import { hashSessionId } from '../src/session-id.js';
import type { SessionStore } from '../src/session-store.js';
import { sampleRecord as record, runSessionStoreContract } from './store-contract.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.warn('REDIS_URL is unset: skipping the Redis session store tests.');

/** A key prefix no other test file or run uses. */
function newPrefix(hashTag = false): string {
  const run = `warden-test-${randomBytes(6).toString('hex')}`;
  return hashTag ? `{${run}}:session:` : `${run}:session:`;
}

/** Every key under `prefix` (SCAN, so the test sees what the store left behind). */
async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix.replace(/[{}*?[\]]/g, '\\$&')}*`,
      'COUNT',
      500,
    );
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

describe.skipIf(!redisUrl)('Redis session store', () => {
  const url = redisUrl!;
  let shared: Redis;

  beforeAll(() => {
    shared = new Redis(url);
  });

  afterAll(async () => {
    await shared.quit();
  });

  /** The store under a prefix of its own; `close()` deletes its keys, then closes the store. */
  function isolated(
    options: { client?: Redis; hashTag?: boolean } = {},
  ): Promise<SessionStore & { prefix: string }> {
    const prefix = newPrefix(options.hashTag);
    const store = createRedisStore({ redis: options.client ?? url, prefix });
    return Promise.resolve({
      ...store,
      prefix,
      async close() {
        const keys = await keysUnder(shared, prefix);
        if (keys.length > 0) await shared.del(...keys);
        await store.close?.();
      },
    });
  }

  runSessionStoreContract('redis, own client', () => isolated());
  runSessionStoreContract('redis, given client, hash-tagged prefix', () =>
    isolated({ client: shared, hashTag: true }),
  );

  it('lets Redis expire a session at its idle deadline, moved by each touch, never past the absolute one', async () => {
    const store = await isolated();
    try {
      const created = record();
      await store.create(created);
      const key = `${store.prefix}s:${created.idHash}`;
      // Redis counts each TTL down by its own clock from when it was set to deadline - now, where
      // now is the time the store was handed (the test's fake clock, whatever the real date is).
      const expiresIn = async (at: number, now: number, which = key) => {
        const ttl = await shared.pttl(which);
        expect(ttl).toBeLessThanOrEqual(at - now);
        expect(ttl).toBeGreaterThan(at - now - 60_000);
      };
      await expiresIn(created.idleExpiresAt, created.createdAt);
      await store.touch(created.idHash, created.lastSeenAt + 1_000, created.idleExpiresAt + 30_000);
      await expiresIn(created.idleExpiresAt + 30_000, created.lastSeenAt + 1_000);
      await store.touch(created.idHash, created.lastSeenAt + 2_000, created.absoluteExpiresAt + 60_000);
      await expiresIn(created.absoluteExpiresAt, created.lastSeenAt + 2_000);
      await expiresIn(created.absoluteExpiresAt, created.lastSeenAt + 2_000, `${store.prefix}u:user-1`);
    } finally {
      await store.close?.();
    }
  });

  it('forgets a session Redis expired: get, list and destroy-all no longer see it', async () => {
    const store = await isolated();
    try {
      const other = record();
      // Idle for 50 ms from its creation: Redis drops the key by itself 50 ms (real time) later.
      const created = record({ idleExpiresAt: other.createdAt + 50 });
      await store.create(created);
      await store.create(other);
      const key = `${store.prefix}s:${created.idHash}`;
      await expect.poll(() => shared.exists(key), { timeout: 10_000, interval: 20 }).toBe(0);
      expect(await store.get(created.idHash)).toBeUndefined();
      expect((await store.listForUser('user-1')).map((r) => r.idHash)).toEqual([other.idHash]);
      expect(await store.destroyAllForUser('user-1')).toBe(1);
    } finally {
      await store.close?.();
    }
  });

  it('stores only the hash: no key or value holds the session id', async () => {
    const store = await isolated();
    try {
      const id = randomBytes(32).toString('base64url');
      await store.create(record({ idHash: hashSessionId(id) }));
      const keys = await keysUnder(shared, store.prefix);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).not.toContain(id);
        const type = await shared.type(key);
        const dump = type === 'hash' ? await shared.hgetall(key) : await shared.zrange(key, '0', '-1');
        expect(JSON.stringify(dump)).not.toContain(id);
      }
    } finally {
      await store.close?.();
    }
  });

  it('leaves a client it was given connected on close, and refuses calls once closed', async () => {
    const store = createRedisStore({ redis: shared, prefix: newPrefix() });
    await store.close?.();
    expect(shared.status).toBe('ready');
    await expect(store.get(hashSessionId('x'))).rejects.toThrow(/closed/);
  });

  it('reloads its scripts after SCRIPT FLUSH', async () => {
    const store = await isolated();
    try {
      const created = record();
      await store.create(created);
      await shared.script('FLUSH');
      expect(await store.update(created.idHash, { b: 2 }, 1)).toBe(true);
    } finally {
      await store.close?.();
    }
  });
});

describe('createRedisStore options', () => {
  it.each([
    ['redis', { redis: 'http://localhost:6379' }],
    ['redis', { redis: {} }],
    ['prefix', { redis: 'redis://127.0.0.1:1', prefix: '' }],
    ['timeout', { redis: 'redis://127.0.0.1:1', timeout: 0 }],
    ['sweepBatch', { redis: 'redis://127.0.0.1:1', sweepBatch: -1 }],
  ])('throws a TypeError naming %s', (option, options) => {
    expect(() => createRedisStore(options as never)).toThrow(new RegExp(`^${option}:`));
  });
});
