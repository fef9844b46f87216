import pg from 'pg';
import { checkCreateOptions, leastRecentlySeen } from './least-recently-seen.js';
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

export interface PostgresStoreOptions {
  /**
   * A `pg` Pool the caller keeps owning (`close()` leaves it open), or a `postgres://` URL for
   * which the store opens its own pool, with `connectionTimeoutMillis`, `query_timeout` and
   * `statement_timeout` set to `timeout`, and ends it on `close()`. Give a pool its own
   * `connectionTimeoutMillis`: without one, connections stuck opening hold pool slots forever.
   */
  database: pg.Pool | string;
  /** Table name, letters, digits and `_` only. Default `sessions`. */
  table?: string;
  /** Milliseconds each call may take before it rejects with `SessionStoreUnavailableError`. Default 1,000. */
  timeout?: number;
  /** Own pool only: its maximum number of connections. Default 10. */
  poolSize?: number;
  /**
   * Own pool only: told about errors of idle connections (say, the server restarted). The pool
   * drops such a connection and opens a new one when needed. Default: ignore them (calls that
   * need the database report the outage themselves).
   */
  onPoolError?: (error: Error) => void;
}

interface Row {
  id_hash: string;
  sid: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  data: string;
  version: number;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const COLUMNS =
  'id_hash, sid, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, data, version';
const UNIQUE_VIOLATION = '23505';
/** SQLSTATE classes that mean "the database cannot serve now", not "this request is wrong". */
const OUTAGE_CLASSES = new Set(['08', '53', '57', '58']);

class SessionExistsError extends Error {
  constructor() {
    super('a session with this idHash exists');
    this.name = 'SessionExistsError';
  }
}

/**
 * A session store in PostgreSQL through `pg`. Creates its table and indexes (user id, each expiry)
 * if they are missing, under an advisory lock so several processes may start at once. Touch,
 * compare-and-set update and destroy are single statements that never create a row; `create` with
 * `replaces` or `maxPerUser` is one transaction, serialised per user by an advisory lock, so
 * concurrent sign-ins cannot overshoot the cap.
 *
 * Every call rejects with `SessionStoreUnavailableError` within `timeout` ms when the database is
 * down, unreachable or too slow, and works again by itself once it answers: the pool drops broken
 * connections and opens new ones. A call that timed out may still have been applied.
 *
 * Does NOT migrate a table created by a different schema, and does not sweep expired rows by
 * itself: call `deleteExpired` on a timer.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<SessionStore> {
  if (options === null || typeof options !== 'object') throw new TypeError('options: must be an object');
  const table = options.table ?? 'sessions';
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new TypeError('table: must be 1-63 letters, digits or _, not starting with a digit');
  }
  const timeout = checkTimeout(options.timeout ?? DEFAULT_STORE_TIMEOUT_MS);
  const { pool, owned } = openPool(options, timeout);
  const t = `"${table}"`;
  const lockKey = `warden-session-store:${table}`;

  function run<T>(what: string, work: () => Promise<T>): Promise<T> {
    return withDeadline(work(), timeout, `PostgreSQL session store (${what})`, isOutage);
  }

  function query(client: pg.Pool | pg.PoolClient, text: string, values: unknown[] = []) {
    return client.query<Row>({ text, values, query_timeout: timeout } as pg.QueryConfig);
  }

  /** Runs `body` in one transaction on one connection; a failed connection is dropped, not reused. */
  async function transaction<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let failure: unknown;
    try {
      await query(client, 'BEGIN');
      const result = await body(client);
      await query(client, 'COMMIT');
      return result;
    } catch (error) {
      failure = error;
      await query(client, 'ROLLBACK').catch(() => {});
      throw error;
    } finally {
      // Drop the connection after a network or driver error; a database's answer leaves it usable.
      const broken =
        failure instanceof Error &&
        !(failure instanceof pg.DatabaseError) &&
        !(failure instanceof SessionExistsError);
      client.release(broken ? (failure as Error) : undefined);
    }
  }

  try {
    await run('creating its table', () => transaction((client) => createSchema(client, table, lockKey)));
  } catch (error) {
    if (owned) await pool.end().catch(() => {});
    throw error;
  }

  async function createInTransaction(
    record: SessionRecord,
    replaces: string | undefined,
    maxPerUser: number | undefined,
  ): Promise<CreateSessionResult> {
    return transaction(async (client) => {
      if (maxPerUser !== undefined) {
        await query(client, 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
          `${lockKey}:${record.userId}`,
        ]);
      }
      if (replaces !== undefined) {
        const replaced = await query(client, `DELETE FROM ${t} WHERE id_hash = $1`, [replaces]);
        if (replaced.rowCount !== 1) return { created: false, evicted: [] };
      }
      const evicted: SessionRecord[] = [];
      if (maxPerUser !== undefined) {
        await query(
          client,
          `DELETE FROM ${t} WHERE user_id = $1 AND (idle_expires_at <= $2 OR absolute_expires_at <= $2)`,
          [record.userId, record.createdAt],
        );
        const others = (
          await query(client, `SELECT ${COLUMNS} FROM ${t} WHERE user_id = $1`, [record.userId])
        ).rows;
        const victims = leastRecentlySeen(others.map(toRecord), maxPerUser);
        if (victims.length > 0) {
          await query(client, `DELETE FROM ${t} WHERE id_hash = ANY($1)`, [victims.map((v) => v.idHash)]);
          evicted.push(...victims);
        }
      }
      await insert(client, record);
      return { created: true, evicted };
    });
  }

  async function insert(client: pg.Pool | pg.PoolClient, record: SessionRecord): Promise<void> {
    try {
      await query(client, `INSERT INTO ${t} (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        record.idHash,
        record.sid,
        record.userId,
        record.createdAt,
        record.lastSeenAt,
        record.idleExpiresAt,
        record.absoluteExpiresAt,
        JSON.stringify(record.data),
        record.version,
      ]);
    } catch (error) {
      if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new SessionExistsError();
      throw error;
    }
  }

  return Object.freeze({
    async create(record: SessionRecord, options?: CreateSessionOptions): Promise<CreateSessionResult> {
      const maxPerUser = checkCreateOptions(options);
      const replaces = options?.replaces;
      return run('create', async () => {
        if (replaces === undefined && maxPerUser === undefined) {
          await insert(pool, record);
          return { created: true, evicted: [] };
        }
        return createInTransaction(record, replaces, maxPerUser);
      });
    },
    get(idHash: string): Promise<SessionRecord | undefined> {
      return run('get', async () => {
        const { rows } = await query(pool, `SELECT ${COLUMNS} FROM ${t} WHERE id_hash = $1`, [idHash]);
        return rows[0] ? toRecord(rows[0]) : undefined;
      });
    },
    touch(idHash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
      return run('touch', async () => {
        await query(
          pool,
          `UPDATE ${t} SET last_seen_at = GREATEST(last_seen_at, $2), idle_expires_at = GREATEST(idle_expires_at, $3) WHERE id_hash = $1`,
          [idHash, lastSeenAt, idleExpiresAt],
        );
      });
    },
    update(idHash: string, data: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
      return run('update', async () => {
        const result = await query(
          pool,
          `UPDATE ${t} SET data = $2, version = version + 1 WHERE id_hash = $1 AND version = $3`,
          [idHash, JSON.stringify(data), expectedVersion],
        );
        return result.rowCount === 1;
      });
    },
    destroy(idHash: string): Promise<boolean> {
      return run('destroy', async () => {
        return (await query(pool, `DELETE FROM ${t} WHERE id_hash = $1`, [idHash])).rowCount === 1;
      });
    },
    destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number> {
      return run('destroyAllForUser', async () => {
        // '' is never a SHA-256 hash, so it excludes nothing.
        const result = await query(pool, `DELETE FROM ${t} WHERE user_id = $1 AND id_hash <> $2`, [
          userId,
          exceptIdHash ?? '',
        ]);
        return result.rowCount ?? 0;
      });
    },
    listForUser(userId: string): Promise<SessionRecord[]> {
      return run('listForUser', async () => {
        const { rows } = await query(pool, `SELECT ${COLUMNS} FROM ${t} WHERE user_id = $1`, [userId]);
        return rows.map(toRecord);
      });
    },
    deleteExpired(now: number): Promise<number> {
      return run('deleteExpired', async () => {
        const result = await query(
          pool,
          `DELETE FROM ${t} WHERE idle_expires_at <= $1 OR absolute_expires_at <= $1`,
          [now],
        );
        return result.rowCount ?? 0;
      });
    },
    async close(): Promise<void> {
      if (owned && !pool.ended) await pool.end();
    },
  });
}

function openPool(options: PostgresStoreOptions, timeout: number): { pool: pg.Pool; owned: boolean } {
  const { database } = options;
  if (typeof database === 'string') {
    checkPostgresUrl(database);
    const poolSize = options.poolSize ?? 10;
    if (!Number.isSafeInteger(poolSize) || poolSize < 1) {
      throw new TypeError('poolSize: must be a whole number, at least 1');
    }
    const onPoolError = options.onPoolError ?? (() => {});
    if (typeof onPoolError !== 'function') throw new TypeError('onPoolError: must be a function');
    const pool = new pg.Pool({
      connectionString: database,
      max: poolSize,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      statement_timeout: timeout,
      idle_in_transaction_session_timeout: Math.max(timeout * 5, 5_000),
    });
    pool.on('error', onPoolError);
    return { pool, owned: true };
  }
  if (!(database instanceof pg.Pool)) {
    throw new TypeError('database: must be a pg Pool or a postgres:// URL');
  }
  return { pool: database, owned: false };
}

function checkPostgresUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new TypeError('database: must be a pg Pool or a postgres:// URL');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new TypeError(`database: must be a postgres:// or postgresql:// URL, got ${protocol}`);
  }
}

/** The one migration: table and indexes, idempotent, serialised across processes. */
async function createSchema(client: pg.PoolClient, table: string, lockKey: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
  await client.query(`
    CREATE TABLE IF NOT EXISTS "${table}" (
      id_hash text PRIMARY KEY,
      sid text NOT NULL,
      user_id text NOT NULL,
      created_at bigint NOT NULL,
      last_seen_at bigint NOT NULL,
      idle_expires_at bigint NOT NULL,
      absolute_expires_at bigint NOT NULL,
      data text NOT NULL,
      version integer NOT NULL
    );
    CREATE INDEX IF NOT EXISTS "${table}_user_id" ON "${table}" (user_id);
    CREATE INDEX IF NOT EXISTS "${table}_idle_expires_at" ON "${table}" (idle_expires_at);
    CREATE INDEX IF NOT EXISTS "${table}_absolute_expires_at" ON "${table}" (absolute_expires_at);
  `);
}

/**
 * An outage is anything that is not a definite answer from the database about this request: a
 * network or driver error (refused, reset, timed out, pool ended), or a SQLSTATE of class 08
 * (connection), 53 (resources), 57 (shutdown, statement timeout) or 58 (system).
 */
function isOutage(error: unknown): boolean {
  if (error instanceof SessionExistsError || error instanceof SessionStoreUnavailableError) return false;
  if (error instanceof pg.DatabaseError) return OUTAGE_CLASSES.has(String(error.code).slice(0, 2));
  return error instanceof Error;
}

function toRecord(row: Row): SessionRecord {
  return {
    idHash: row.id_hash,
    sid: row.sid,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    idleExpiresAt: Number(row.idle_expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    data: JSON.parse(row.data) as Record<string, unknown>,
    version: row.version,
  };
}
