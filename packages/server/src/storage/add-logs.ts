import type { Kysely } from 'kysely';
import type { StorageDialect } from './schema.js';

/**
 * Migration `0004_logs`: the audit log, one row per event in Auth0's log shape.
 *
 * `seq` is the log id (written zero-padded): SQLite `INTEGER PRIMARY KEY AUTOINCREMENT` and
 * PostgreSQL `GENERATED ALWAYS AS IDENTITY` never reuse a number, even after the newest entries are
 * deleted, so a reader following the log by checkpoint never misses one. Indexes: `date` for the
 * retention purge; `(type, seq)`, `(user_id, seq)` and `(client_id, seq)` so the filters the console
 * and the management API use most page in `seq` order without a sort. Filters on the other fields
 * (connection, ip, names) walk `seq` in order until a page is full.
 */
export async function addLogs(db: Kysely<unknown>, dialect: StorageDialect): Promise<void> {
  await db.schema
    .createTable('logs')
    .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (col) =>
      dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('date', 'bigint', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('client_id', 'text')
    .addColumn('client_name', 'text')
    .addColumn('connection', 'text')
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('details', 'text')
    .execute();
  await db.schema.createIndex('logs_date').on('logs').column('date').execute();
  await db.schema.createIndex('logs_type_seq').on('logs').columns(['type', 'seq']).execute();
  await db.schema.createIndex('logs_user_id_seq').on('logs').columns(['user_id', 'seq']).execute();
  await db.schema.createIndex('logs_client_id_seq').on('logs').columns(['client_id', 'seq']).execute();
}

export async function dropLogs(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('logs').ifExists().execute();
}
