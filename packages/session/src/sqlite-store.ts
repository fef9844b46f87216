import Database from 'better-sqlite3';
import { checkCreateOptions, leastRecentlySeen } from './least-recently-seen.js';
import type {
  CreateSessionOptions,
  CreateSessionResult,
  SessionRecord,
  SessionStore,
} from './session-store.js';

export interface SqliteStoreOptions {
  /**
   * An open better-sqlite3 database (the caller keeps owning it: `close()` leaves it open), or a
   * file name (`':memory:'` for a private in-memory database) that the store opens in WAL mode and
   * closes on `close()`.
   */
  database: Database.Database | string;
  /** Table name, letters, digits and `_` only. Default `sessions`. */
  table?: string;
}

interface Row {
  id_hash: string;
  sid: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  data: string;
  version: number;
}

const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A session store in SQLite through better-sqlite3. Creates its table, an index on the user id and
 * one on each expiry time if they are missing; prepares every statement once. Compare-and-set and
 * "touch never revives" are single `UPDATE ... WHERE` statements, so they hold across processes
 * sharing the file. better-sqlite3 is synchronous: each call blocks the event loop for the
 * duration of one statement.
 *
 * Does NOT migrate a table created by a different schema, and does not sweep expired rows by
 * itself: call `deleteExpired` on a timer.
 */
export function createSqliteStore(options: SqliteStoreOptions): SessionStore {
  const table = options.table ?? 'sessions';
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    throw new TypeError('table: must be 1-63 letters, digits or _, not starting with a digit');
  }
  const { db, owned } = openDatabase(options.database);
  createSchema(db, table);
  const t = `"${table}"`;
  const columns =
    'id_hash, sid, user_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, data, version';
  const insert = db.prepare(
    `INSERT INTO ${t} (${columns}) VALUES (@id_hash, @sid, @user_id, @created_at, @last_seen_at, @idle_expires_at, @absolute_expires_at, @data, @version)`,
  );
  const selectOne = db.prepare<[string], Row>(`SELECT ${columns} FROM ${t} WHERE id_hash = ?`);
  const selectForUser = db.prepare<[string], Row>(`SELECT ${columns} FROM ${t} WHERE user_id = ?`);
  const touchOne = db.prepare(
    `UPDATE ${t} SET last_seen_at = MAX(last_seen_at, ?), idle_expires_at = MAX(idle_expires_at, ?) WHERE id_hash = ?`,
  );
  const compareAndSet = db.prepare(
    `UPDATE ${t} SET data = ?, version = version + 1 WHERE id_hash = ? AND version = ?`,
  );
  const deleteOne = db.prepare(`DELETE FROM ${t} WHERE id_hash = ?`);
  const deleteForUser = db.prepare(`DELETE FROM ${t} WHERE user_id = ? AND id_hash <> ?`);
  const deleteExpiredRows = db.prepare(
    `DELETE FROM ${t} WHERE idle_expires_at <= ? OR absolute_expires_at <= ?`,
  );
  const deleteExpiredForUser = db.prepare(
    `DELETE FROM ${t} WHERE user_id = ? AND (idle_expires_at <= ? OR absolute_expires_at <= ?)`,
  );
  // One synchronous transaction: nothing else runs on this connection in between, and other
  // connections to the file wait for the write lock (BEGIN IMMEDIATE).
  const createAtomically = db.transaction(
    (record: SessionRecord, replaces: string | undefined, maxPerUser: number | undefined) => {
      if (replaces !== undefined && deleteOne.run(replaces).changes === 0) {
        return { created: false, evicted: [] };
      }
      const evicted: SessionRecord[] = [];
      if (maxPerUser !== undefined) {
        deleteExpiredForUser.run(record.userId, record.createdAt, record.createdAt);
        const others = selectForUser.all(record.userId).map(toRecord);
        for (const victim of leastRecentlySeen(others, maxPerUser)) {
          deleteOne.run(victim.idHash);
          evicted.push(victim);
        }
      }
      insert.run(toRow(record));
      return { created: true, evicted };
    },
  );

  return Object.freeze({
    async create(record: SessionRecord, options?: CreateSessionOptions): Promise<CreateSessionResult> {
      const maxPerUser = checkCreateOptions(options);
      if (selectOne.get(record.idHash)) throw new Error('a session with this idHash exists');
      return createAtomically.immediate(record, options?.replaces, maxPerUser);
    },
    async get(idHash: string): Promise<SessionRecord | undefined> {
      const row = selectOne.get(idHash);
      return row ? toRecord(row) : undefined;
    },
    async touch(idHash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
      touchOne.run(lastSeenAt, idleExpiresAt, idHash);
    },
    async update(idHash: string, data: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
      return compareAndSet.run(JSON.stringify(data), idHash, expectedVersion).changes === 1;
    },
    async destroy(idHash: string): Promise<boolean> {
      return deleteOne.run(idHash).changes === 1;
    },
    async destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number> {
      // '' is never a SHA-256 hash, so it excludes nothing.
      return deleteForUser.run(userId, exceptIdHash ?? '').changes;
    },
    async listForUser(userId: string): Promise<SessionRecord[]> {
      return selectForUser.all(userId).map(toRecord);
    },
    async deleteExpired(now: number): Promise<number> {
      return deleteExpiredRows.run(now, now).changes;
    },
    async close(): Promise<void> {
      if (owned && db.open) db.close();
    },
  });
}

function openDatabase(database: SqliteStoreOptions['database']): { db: Database.Database; owned: boolean } {
  if (typeof database === 'string') {
    if (database.length === 0) throw new TypeError('database: a file name must not be empty');
    const db = new Database(database);
    db.pragma('journal_mode = WAL');
    return { db, owned: true };
  }
  if (database === null || typeof database !== 'object' || typeof database.prepare !== 'function') {
    throw new TypeError('database: must be a better-sqlite3 Database or a file name');
  }
  return { db: database, owned: false };
}

function createSchema(db: Database.Database, table: string): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS "${table}" (
      id_hash TEXT PRIMARY KEY NOT NULL,
      sid TEXT NOT NULL,
      user_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      idle_expires_at INTEGER NOT NULL,
      absolute_expires_at INTEGER NOT NULL,
      data TEXT NOT NULL,
      version INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS "${table}_user_id" ON "${table}" (user_id);
    CREATE INDEX IF NOT EXISTS "${table}_idle_expires_at" ON "${table}" (idle_expires_at);
    CREATE INDEX IF NOT EXISTS "${table}_absolute_expires_at" ON "${table}" (absolute_expires_at);
  `);
}

function toRow(record: SessionRecord): Row {
  return {
    id_hash: record.idHash,
    sid: record.sid,
    user_id: record.userId,
    created_at: record.createdAt,
    last_seen_at: record.lastSeenAt,
    idle_expires_at: record.idleExpiresAt,
    absolute_expires_at: record.absoluteExpiresAt,
    data: JSON.stringify(record.data),
    version: record.version,
  };
}

function toRecord(row: Row): SessionRecord {
  return {
    idHash: row.id_hash,
    sid: row.sid,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    idleExpiresAt: row.idle_expires_at,
    absoluteExpiresAt: row.absolute_expires_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
    version: row.version,
  };
}
