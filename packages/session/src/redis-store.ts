import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { checkCreateOptions } from './least-recently-seen.js';
import type {
  CreateSessionOptions,
  CreateSessionResult,
  SessionRecord,
  SessionStore,
} from './session-store.js';
import {
  checkTimeout,
  DEFAULT_STORE_TIMEOUT_MS,
  SessionStoreUnavailableError,
  withDeadline,
} from './session-store-unavailable-error.js';

export interface RedisStoreOptions {
  /**
   * An ioredis client the caller keeps owning (`close()` leaves it connected), or a `redis://` /
   * `rediss://` URL for which the store opens its own client: no offline queue, `commandTimeout`
   * of `timeout`, reconnecting at most a second apart, and dropping a connection whose server
   * stopped answering so that it recovers by itself.
   */
  redis: Redis | string;
  /**
   * Prefix of every key. Default `warden:session:`. For Redis Cluster put a hash tag in it (e.g.
   * `{warden}:session:`): the scripts touch several keys, which must then share a slot.
   */
  prefix?: string;
  /** Milliseconds each call may take before it rejects with `SessionStoreUnavailableError`. Default 1,000. */
  timeout?: number;
  /** Expired records removed from the expiry index on each `create` (default 8). */
  sweepBatch?: number;
}

/*
 * Keys, under the prefix:
 *   s:<idHash>    hash: idHash, sid, userId, createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt, data, version;
 *                 expires at the earlier of the two expiry times
 *   u:<userId>    sorted set of the user's idHashes, scored by that time; expires with the last one
 *   expiries      sorted set of every idHash scored by that time, for deleteExpired and the sweep
 * Every change runs as one Lua script, so it is atomic: no lost write, no revived record.
 * Redis's own expiry is set relative to the "now" the caller passed (PEXPIRE deadline - now, never
 * PEXPIREAT deadline), so it follows the owner's clock, not the Redis server's: a skewed server
 * clock, or a test on a fake one, cannot expire a session early or keep it late.
 */
const LUA_PRELUDE = `
local prefix = ARGV[1]
local function skey(h) return prefix .. 's:' .. h end
local function ukey(u) return prefix .. 'u:' .. u end
local ekey = prefix .. 'expiries'
local function num(n) return string.format('%.0f', n) end
local function deadline(idle, abs) if idle < abs then return idle end return abs end
local function unindex(h, user)
  redis.call('ZREM', ukey(user), h)
  redis.call('ZREM', ekey, h)
end
-- Redis expires a key 'at' (owner's clock) measured from 'now' (owner's clock); at least 1 ms.
local function expireIn(key, at, now)
  local ms = at - now
  if ms < 1 then ms = 1 end
  redis.call('PEXPIRE', key, num(ms))
end
local function expireUserKey(user, now)
  local last = redis.call('ZRANGE', ukey(user), -1, -1, 'WITHSCORES')
  if last[2] then expireIn(ukey(user), tonumber(last[2]), now) end
end
local function remove(h)
  local user = redis.call('HGET', skey(h), 'userId')
  if not user then
    redis.call('ZREM', ekey, h)
    return 0
  end
  redis.call('DEL', skey(h))
  unindex(h, user)
  return 1
end
local function index(h, user, idle, abs, now)
  local at = deadline(tonumber(idle), tonumber(abs))
  expireIn(skey(h), at, now)
  redis.call('ZADD', ukey(user), num(at), h)
  redis.call('ZADD', ekey, num(at), h)
  expireUserKey(user, now)
end
`;

/** ARGV: prefix, idHash, sid, userId, createdAt, lastSeenAt, idle, absolute, data, version, replaces, maxPerUser, sweepBatch */
const CREATE = `${LUA_PRELUDE}
local h, user, now = ARGV[2], ARGV[4], tonumber(ARGV[5])
if redis.call('EXISTS', skey(h)) == 1 then return {'exists'} end
if ARGV[11] ~= '' and remove(ARGV[11]) == 0 then return {'gone'} end
local result = {'ok'}
local max = tonumber(ARGV[12])
if max > 0 then
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', ukey(user), '-inf', ARGV[5])) do
    redis.call('DEL', skey(m))
    unindex(m, user)
  end
  local others = {}
  for _, m in ipairs(redis.call('ZRANGE', ukey(user), 0, -1)) do
    local f = redis.call('HMGET', skey(m), 'lastSeenAt', 'createdAt')
    if f[1] then
      table.insert(others, {m, tonumber(f[1]), tonumber(f[2])})
    else
      unindex(m, user)
    end
  end
  local excess = #others - (max - 1)
  if excess > 0 then
    table.sort(others, function(a, b)
      if a[2] ~= b[2] then return a[2] < b[2] end
      if a[3] ~= b[3] then return a[3] < b[3] end
      return a[1] < b[1]
    end)
    for i = 1, excess do
      local m = others[i][1]
      table.insert(result, redis.call('HGETALL', skey(m)))
      redis.call('DEL', skey(m))
      unindex(m, user)
    end
  end
end
for _, m in ipairs(redis.call('ZRANGEBYSCORE', ekey, '-inf', ARGV[5], 'LIMIT', 0, tonumber(ARGV[13]))) do
  remove(m)
end
redis.call('HSET', skey(h), 'idHash', h, 'sid', ARGV[3], 'userId', user, 'createdAt', ARGV[5], 'lastSeenAt', ARGV[6],
  'idleExpiresAt', ARGV[7], 'absoluteExpiresAt', ARGV[8], 'data', ARGV[9], 'version', ARGV[10])
index(h, user, ARGV[7], ARGV[8], now)
return result
`;

/** ARGV: prefix, idHash, lastSeenAt, idleExpiresAt */
const TOUCH = `${LUA_PRELUDE}
local h = ARGV[2]
local f = redis.call('HMGET', skey(h), 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt', 'userId')
if not f[4] then return 0 end
local last = math.max(tonumber(f[1]), tonumber(ARGV[3]))
local idle = math.max(tonumber(f[2]), tonumber(ARGV[4]))
redis.call('HSET', skey(h), 'lastSeenAt', num(last), 'idleExpiresAt', num(idle))
index(h, f[4], idle, f[3], tonumber(ARGV[3]))
return 1
`;

/** ARGV: prefix, idHash, data, expectedVersion */
const UPDATE = `${LUA_PRELUDE}
local v = redis.call('HGET', skey(ARGV[2]), 'version')
if not v or v ~= ARGV[4] then return 0 end
redis.call('HSET', skey(ARGV[2]), 'data', ARGV[3], 'version', num(tonumber(v) + 1))
return 1
`;

/** ARGV: prefix, idHash */
const DESTROY = `${LUA_PRELUDE}
return remove(ARGV[2])
`;

/** ARGV: prefix, userId, exceptIdHash */
const DESTROY_ALL_FOR_USER = `${LUA_PRELUDE}
local n = 0
for _, m in ipairs(redis.call('ZRANGE', ukey(ARGV[2]), 0, -1)) do
  if m ~= ARGV[3] then
    n = n + redis.call('DEL', skey(m))
    unindex(m, ARGV[2])
  end
end
return n
`;

/** ARGV: prefix, userId */
const LIST_FOR_USER = `${LUA_PRELUDE}
local out = {}
for _, m in ipairs(redis.call('ZRANGE', ukey(ARGV[2]), 0, -1)) do
  local r = redis.call('HGETALL', skey(m))
  if #r == 0 then unindex(m, ARGV[2]) else table.insert(out, r) end
end
return out
`;

/** ARGV: prefix, now, batch. Returns {removed, examined}. */
const DELETE_EXPIRED = `${LUA_PRELUDE}
local due = redis.call('ZRANGEBYSCORE', ekey, '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local n = 0
for _, h in ipairs(due) do n = n + remove(h) end
return {n, #due}
`;

const DELETE_EXPIRED_BATCH = 500;
/** Reply errors that mean "this server cannot serve now" rather than "this script is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|OOM|MISCONF|NOREPLICAS)\b/;

class SessionExistsError extends Error {
  constructor() {
    super('a session with this idHash exists');
    this.name = 'SessionExistsError';
  }
}

interface Script {
  source: string;
  sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const SCRIPTS = {
  create: script(CREATE),
  touch: script(TOUCH),
  update: script(UPDATE),
  destroy: script(DESTROY),
  destroyAllForUser: script(DESTROY_ALL_FOR_USER),
  listForUser: script(LIST_FOR_USER),
  deleteExpired: script(DELETE_EXPIRED),
};

/**
 * A session store in Redis through ioredis: one hash per session that Redis expires by itself at
 * the session's idle or absolute deadline (whichever comes first, moved on each touch), a sorted
 * set per user for listing and "log out everywhere", and an expiry index. Every change is one Lua
 * script, so concurrent requests never lose a write, a touch or update never recreates a destroyed
 * session, and `create` with `maxPerUser` or `replaces` is atomic.
 *
 * Every call rejects with `SessionStoreUnavailableError` within `timeout` ms when Redis is down,
 * unreachable or too slow; calls made while the connection is (re)opening wait for it within the
 * same deadline. With its own client the store drops a connection whose server stopped answering
 * and reconnects, so service resumes by itself when Redis does. A call that timed out may still
 * have been applied.
 *
 * Does NOT survive a Redis restart without persistence (sessions then end, which fails safe), and
 * does not shard across a Redis Cluster (see `prefix`).
 */
export function createRedisStore(options: RedisStoreOptions): SessionStore {
  if (options === null || typeof options !== 'object') throw new TypeError('options: must be an object');
  const prefix = options.prefix ?? 'warden:session:';
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.length > 200) {
    throw new TypeError('prefix: must be a string of 1-200 characters');
  }
  const timeout = checkTimeout(options.timeout ?? DEFAULT_STORE_TIMEOUT_MS);
  const sweepBatch = options.sweepBatch ?? 8;
  if (!Number.isSafeInteger(sweepBatch) || sweepBatch < 0) {
    throw new TypeError('sweepBatch: must be a non-negative integer');
  }
  const { client, owned } = openClient(options.redis, timeout);
  let lastDrop = 0;
  let closed = false;

  /** Waits (within the caller's deadline) for a connection that is opening or reopening. */
  let readyWaiter: Promise<void> | undefined;
  function whenReady(): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'wait') client.connect().catch(() => {});
    readyWaiter ??= new Promise<void>((resolve) => {
      client.once('ready', () => {
        readyWaiter = undefined;
        resolve();
      });
    });
    return readyWaiter;
  }

  /** Own client only: a server that stopped answering is dropped, so the client reconnects. */
  function dropStuckConnection(): void {
    // Wall time on purpose: this paces network recovery, it judges no session.
    const now = Date.now();
    if (!owned || closed || now - lastDrop < timeout) return;
    if (client.status === 'reconnecting' || client.status === 'end') return;
    lastDrop = now;
    // Destroy rather than end: a hung server may never acknowledge a polite close, and the
    // client only reconnects once the old socket is gone.
    client.stream?.destroy();
  }

  function run<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (closed) return Promise.reject(new SessionStoreUnavailableError('Redis session store is closed'));
    if (client.status === 'end') {
      return Promise.reject(new SessionStoreUnavailableError('Redis session store: the client was closed'));
    }
    if (owned && client.status === 'ready') {
      // The store's own client bounds every command itself (commandTimeout): no timer per call.
      return work().catch((error: unknown) => {
        if (error instanceof SessionStoreUnavailableError || !isOutage(error)) throw error;
        if (error instanceof Error && /timed out/i.test(error.message)) dropStuckConnection();
        throw new SessionStoreUnavailableError(`Redis session store (${what}) is unavailable`, {
          cause: error,
        });
      });
    }
    // Wall time on purpose: a network deadline, as the timers that enforce it are.
    const giveUpAt = Date.now() + timeout;
    const sent =
      client.status === 'ready'
        ? work()
        : whenReady().then(() => {
            // The deadline passed while waiting for the connection: send nothing late.
            if (Date.now() >= giveUpAt) {
              throw new SessionStoreUnavailableError('Redis session store is unavailable');
            }
            return work();
          });
    return withDeadline(sent, timeout, `Redis session store (${what})`, isOutage, dropStuckConnection);
  }

  async function evaluate(which: keyof typeof SCRIPTS, routingKey: string, args: string[]): Promise<unknown> {
    const { sha, source } = SCRIPTS[which];
    try {
      return await client.evalsha(sha, 1, routingKey, prefix, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(source, 1, routingKey, prefix, ...args);
    }
  }

  const sessionKey = (idHash: string) => `${prefix}s:${idHash}`;
  const userKey = (userId: string) => `${prefix}u:${userId}`;

  return Object.freeze({
    async create(record: SessionRecord, options?: CreateSessionOptions): Promise<CreateSessionResult> {
      const maxPerUser = checkCreateOptions(options);
      return run('create', async () => {
        const reply = (await evaluate('create', userKey(record.userId), [
          record.idHash,
          record.sid,
          record.userId,
          String(record.createdAt),
          String(record.lastSeenAt),
          String(record.idleExpiresAt),
          String(record.absoluteExpiresAt),
          JSON.stringify(record.data),
          String(record.version),
          options?.replaces ?? '',
          String(maxPerUser ?? 0),
          String(sweepBatch),
        ])) as [string, ...string[][]];
        if (reply[0] === 'exists') throw new SessionExistsError();
        if (reply[0] === 'gone') return { created: false, evicted: [] };
        const evicted = (reply.slice(1) as string[][]).map((flat) => toRecord(fromFlat(flat))!);
        return { created: true, evicted };
      });
    },
    get(idHash: string): Promise<SessionRecord | undefined> {
      return run('get', async () => toRecord(await client.hgetall(sessionKey(idHash))));
    },
    touch(idHash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
      return run('touch', async () => {
        await evaluate('touch', sessionKey(idHash), [idHash, String(lastSeenAt), String(idleExpiresAt)]);
      });
    },
    update(idHash: string, data: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
      return run('update', async () => {
        const args = [idHash, JSON.stringify(data), String(expectedVersion)];
        return (await evaluate('update', sessionKey(idHash), args)) === 1;
      });
    },
    destroy(idHash: string): Promise<boolean> {
      return run('destroy', async () => (await evaluate('destroy', sessionKey(idHash), [idHash])) === 1);
    },
    destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number> {
      return run('destroyAllForUser', async () => {
        // '' is never a SHA-256 hash, so it excludes nothing.
        return (await evaluate('destroyAllForUser', userKey(userId), [userId, exceptIdHash ?? ''])) as number;
      });
    },
    listForUser(userId: string): Promise<SessionRecord[]> {
      return run('listForUser', async () => {
        const rows = (await evaluate('listForUser', userKey(userId), [userId])) as string[][];
        return rows.map((flat) => toRecord(fromFlat(flat))!);
      });
    },
    deleteExpired(now: number): Promise<number> {
      return run('deleteExpired', async () => {
        let removed = 0;
        for (;;) {
          const [n, examined] = (await evaluate('deleteExpired', `${prefix}expiries`, [
            String(now),
            String(DELETE_EXPIRED_BATCH),
          ])) as [number, number];
          removed += n;
          if (examined < DELETE_EXPIRED_BATCH) return removed;
        }
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) client.disconnect();
    },
  });
}

function openClient(redis: RedisStoreOptions['redis'], timeout: number): { client: Redis; owned: boolean } {
  if (typeof redis === 'string') {
    let protocol: string;
    try {
      protocol = new URL(redis).protocol;
    } catch {
      throw new TypeError('redis: must be an ioredis client or a redis:// URL');
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:') {
      throw new TypeError(`redis: must be a redis:// or rediss:// URL, got ${protocol}`);
    }
    const client = new Redis(redis, {
      enableOfflineQueue: false,
      commandTimeout: timeout,
      connectTimeout: Math.max(timeout, 1_000),
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 100, 1_000),
      // Commands issued in the same tick (concurrent requests) travel in one write.
      enableAutoPipelining: true,
    });
    // Errors reach the calls that need Redis; without a listener ioredis would log each one.
    client.on('error', () => {});
    return { client, owned: true };
  }
  if (!(redis instanceof Redis)) throw new TypeError('redis: must be an ioredis client or a redis:// URL');
  return { client: redis, owned: false };
}

/** Everything but a definite answer about this request is an outage (network, timeout, LOADING...). */
function isOutage(error: unknown): boolean {
  if (error instanceof SessionExistsError || error instanceof SessionStoreUnavailableError) return false;
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return TRANSIENT_REPLY.test(error.message);
  return true;
}

function fromFlat(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

function toRecord(fields: Record<string, string>): SessionRecord | undefined {
  if (fields.idHash === undefined) return undefined;
  return {
    idHash: fields.idHash,
    sid: fields.sid as string,
    userId: fields.userId as string,
    createdAt: Number(fields.createdAt),
    lastSeenAt: Number(fields.lastSeenAt),
    idleExpiresAt: Number(fields.idleExpiresAt),
    absoluteExpiresAt: Number(fields.absoluteExpiresAt),
    data: JSON.parse(fields.data as string) as Record<string, unknown>,
    version: Number(fields.version),
  };
}
