/**
 * Opens the authorization server's database (PostgreSQL or SQLite), migrates it and returns the
 * `Storage` over it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { createKyselyStorage } from './kysely-storage.js';
import { migrateToLatest } from './migrations.js';
import { PostgresSchemaDialect } from './postgres-schema-dialect.js';
import type { Database, StorageDialect } from './schema.js';
import type { Storage } from './storage.js';

/** Where the embedded database lives when neither `databaseUrl` nor `sqliteFile` is given. */
export const DEFAULT_SQLITE_FILE = './data/warden.db';

/** How long a SQLite writer waits for another connection's write lock before failing (ms). */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export interface OpenStorageOptions {
  /**
   * A `postgres://` or `postgresql://` URL. When set (non-empty) it wins over `sqliteFile`.
   * Any other scheme is rejected.
   */
  databaseUrl?: string;
  /** SQLite file path (parent directories are created) or `:memory:`. Default `DEFAULT_SQLITE_FILE`. */
  sqliteFile?: string;
  /**
   * PostgreSQL only: the schema holding the tables, created when missing and set as the
   * connections' `search_path`. Lower-case letters, digits and `_`. Default: the server's
   * `search_path` (usually `public`).
   */
  schema?: string;
  /** PostgreSQL only: the pool's maximum number of connections. Default 10. */
  poolSize?: number;
  /**
   * PostgreSQL only: told about errors of idle pooled connections (say, the server restarted).
   * The pool drops such a connection and opens a new one when needed; without a listener the
   * error would end the process. Default: `console.error`.
   */
  onPoolError?: (error: Error) => void;
}

export interface OpenedStorage {
  storage: Storage;
  db: Kysely<Database>;
  dialect: StorageDialect;
  /**
   * The SQLite connection, so other stores (sessions) can use the same file or `:memory:`
   * database. Statements run on it while a `storage.transaction()` is pending become part of
   * that transaction; keep transactions short and free of other I/O.
   */
  sqlite?: BetterSqlite3.Database;
  /** Closes the pool or the SQLite connection. Idempotent; `storage.close()` does the same. */
  close(): Promise<void>;
}

/**
 * Opens PostgreSQL when `databaseUrl` is set, otherwise the SQLite file, then runs the
 * migrations (safe on every start, also from several processes at once).
 *
 * PostgreSQL: a `pg` Pool that reads int8 (bigint) as JavaScript numbers; epoch seconds and
 * sequence numbers stay far below 2^53. SQLite: WAL journal (except `:memory:`),
 * `foreign_keys=ON`, `busy_timeout` of `SQLITE_BUSY_TIMEOUT_MS`.
 *
 * Rejects with a `TypeError` naming the option for a bad `databaseUrl`, `schema`, `poolSize` or
 * `onPoolError`; with the driver's error when the database cannot be reached or migrated (after
 * closing it). It does NOT start any clean-up schedule: callers run the `deleteExpired` methods.
 */
export async function openStorage(options: OpenStorageOptions = {}): Promise<OpenedStorage> {
  const databaseUrl = options.databaseUrl || undefined;
  if (databaseUrl !== undefined) return openPostgres(databaseUrl, options);
  if (options.schema !== undefined) throw new TypeError('schema applies to PostgreSQL only (databaseUrl)');
  return openSqlite(options.sqliteFile ?? DEFAULT_SQLITE_FILE);
}

async function openPostgres(databaseUrl: string, options: OpenStorageOptions): Promise<OpenedStorage> {
  checkPostgresUrl(databaseUrl);
  const { schema, poolSize = 10, onPoolError = reportPoolError } = options;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new TypeError('schema must be 1-63 lower-case letters, digits or _, not starting with a digit');
  }
  if (!Number.isInteger(poolSize) || poolSize < 1) throw new TypeError('poolSize must be a positive integer');
  if (typeof onPoolError !== 'function') throw new TypeError('onPoolError must be a function');
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: int8AsNumber,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  pool.on('error', onPoolError);
  const db = new Kysely<Database>({ dialect: new PostgresSchemaDialect({ pool }) });
  return finishOpening(db, 'postgres', async () => {
    if (schema !== undefined) await createSchema(db, schema);
  });
}

function reportPoolError(error: Error): void {
  console.error('warden storage: idle PostgreSQL connection failed:', error.message);
}

function checkPostgresUrl(databaseUrl: string): void {
  let protocol: string;
  try {
    protocol = new URL(databaseUrl).protocol;
  } catch {
    throw new TypeError('databaseUrl must be a postgres:// or postgresql:// URL');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new TypeError(`databaseUrl must be a postgres:// or postgresql:// URL, got ${protocol}`);
  }
}

async function createSchema(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two processes creating the same schema at once: the loser sees a duplicate.
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  }
}

const INT8_OID = 20;

function parseInt8(value: string): number {
  return Number(value);
}

const int8AsNumber: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? parseInt8
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

async function openSqlite(file: string): Promise<OpenedStorage> {
  const inMemory = file === ':memory:';
  if (!inMemory) mkdirSync(dirname(resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file);
  try {
    if (!inMemory) sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const opened = await finishOpening(db, 'sqlite', async () => {});
  return { ...opened, sqlite };
}

async function finishOpening(
  db: Kysely<Database>,
  dialect: StorageDialect,
  prepare: () => Promise<void>,
): Promise<OpenedStorage> {
  try {
    await prepare();
    await migrateToLatest(db as Kysely<unknown>, dialect);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  const base = createKyselyStorage(db, dialect);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= base.close();
    return closing;
  };
  return { storage: { ...base, close }, db, dialect, close };
}
