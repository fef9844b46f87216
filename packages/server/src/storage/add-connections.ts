import { type Kysely, sql } from 'kysely';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import type { StorageDialect } from './schema.js';

/**
 * Migration `0003_connections`: the tables of sign-in through connections.
 *
 * - `connections`: one row per way to sign in (the password database, an upstream OpenID Provider
 *   or OAuth 2.0 provider), with its settings as JSON and its upstream client secret sealed.
 * - `client_connections`: which connections each client offers. The password database is enabled
 *   for every existing client.
 * - `identities`: the upstream accounts a user signs in with (connection + the upstream's id).
 * - `users.email` and `users.password_hash` become optional: an upstream account may come without
 *   an email, and a user who signs in upstream has no password. SQLite cannot drop a NOT NULL, so
 *   there the table is rebuilt (SQLite's documented procedure, foreign keys off meanwhile).
 * - `users` gains `given_name`, `family_name` and `locale`, the OpenID standard claims upstreams
 *   send beside `name` and `picture`.
 */
export async function addConnections(db: Kysely<unknown>, dialect: StorageDialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table users alter column email drop not null, alter column password_hash drop not null,
      add column given_name text, add column family_name text, add column locale text`.execute(db);
    await createConnectionTables(db);
    return;
  }
  // SQLite: Kysely runs its migrations outside a transaction, so the pragma takes effect here.
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await rebuildSqliteUsers(trx);
      await createConnectionTables(trx);
    });
    const { rows } = await sql`pragma foreign_key_check`.execute(db);
    if (rows.length > 0)
      throw new Error(`foreign keys broken after rebuilding users: ${JSON.stringify(rows)}`);
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}

/** Drops the connection tables; `users` keeps its optional columns (rows may rely on them). */
export async function dropConnections(db: Kysely<unknown>): Promise<void> {
  for (const table of ['identities', 'client_connections', 'connections']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

async function rebuildSqliteUsers(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users_rebuilt')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text')
    .addColumn('username', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('name', 'text')
    .addColumn('nickname', 'text')
    .addColumn('picture', 'text')
    .addColumn('given_name', 'text')
    .addColumn('family_name', 'text')
    .addColumn('locale', 'text')
    .addColumn('email_verified', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into users_rebuilt (id, email, username, password_hash, name, nickname, picture, email_verified, created_at, updated_at)
    select id, email, username, password_hash, name, nickname, picture, email_verified, created_at, updated_at from users`.execute(
    db,
  );
  await db.schema.dropTable('users').execute();
  await db.schema.alterTable('users_rebuilt').renameTo('users').execute();
  await db.schema.createIndex('users_email').on('users').unique().column('email').execute();
  await db.schema.createIndex('users_username').on('users').unique().column('username').execute();
}

async function createConnectionTables(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connections')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('strategy', 'text', (col) => col.notNull())
    .addColumn('preset', 'text')
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('options', 'text', (col) => col.notNull())
    .addColumn('sealed_secret', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('client_connections')
    .addColumn('client_id', 'text', (col) =>
      col.notNull().references('clients.client_id').onDelete('cascade'),
    )
    .addColumn('connection', 'text', (col) =>
      col.notNull().references('connections.name').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('client_connections_pk', ['client_id', 'connection'])
    .execute();
  await db.schema
    .createIndex('client_connections_connection')
    .on('client_connections')
    .column('connection')
    .execute();
  await db.schema
    .createTable('identities')
    .addColumn('connection', 'text', (col) =>
      col.notNull().references('connections.name').onDelete('cascade'),
    )
    .addColumn('upstream_id', 'text', (col) => col.notNull())
    .addColumn('provider', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('profile_data', 'text', (col) => col.notNull())
    .addColumn('sealed_tokens', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('identities_pk', ['connection', 'upstream_id'])
    .execute();
  await db.schema.createIndex('identities_user_id').on('identities').column('user_id').execute();

  // Built in, so it carries no creation time of its own (0).
  await sql`insert into connections (name, strategy, preset, display_name, options, sealed_secret, created_at, updated_at)
    values (${DATABASE_CONNECTION}, 'database', null, 'Email and password', '{}', null, 0, 0)`.execute(db);
  await sql`insert into client_connections (client_id, connection)
    select client_id, ${DATABASE_CONNECTION} from clients`.execute(db);
}
