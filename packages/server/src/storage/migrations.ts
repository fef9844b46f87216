/**
 * The schema as code: Kysely migrations that run unchanged on SQLite and PostgreSQL.
 *
 * Portable choices: times are bigint epoch seconds, booleans integer 0/1, JSON is text. The only
 * dialect branch is the auto-increment key of `revocations.seq` (SQLite `INTEGER PRIMARY KEY
 * AUTOINCREMENT`, PostgreSQL `bigint GENERATED ALWAYS AS IDENTITY`); both never reuse a number,
 * even after the highest entries are deleted, so feed followers never miss an entry.
 */
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  sql,
} from 'kysely';
import { addApiScopes, dropApiScopes } from './add-api-scopes.js';
import { addApiSkipConsent, dropApiSkipConsent } from './add-api-skip-consent.js';
import { addConnections, dropConnections } from './add-connections.js';
import { addLogs, dropLogs } from './add-logs.js';
import {
  addRateLimitsAndStatsIndex,
  dropRateLimitsAndStatsIndex,
} from './add-rate-limits-and-stats-index.js';
import { addRoleIds, dropRoleIds } from './add-role-ids.js';
import { addUserBlocked, dropUserBlocked } from './add-user-blocked.js';
import { normalizeStoredLogins, restoreLowerIndexes } from './normalize-stored-logins.js';
import type { StorageDialect } from './schema.js';

/**
 * The migrations, by name, for one dialect. Names sort in the order they run; a released
 * migration is never edited, only followed by a new one.
 */
export function createMigrations(dialect: StorageDialect): Record<string, Migration> {
  return {
    '0001_initial': {
      up: (db: Kysely<unknown>) => createInitialSchema(db, dialect),
      down: dropInitialSchema,
    },
    '0002_normalized_logins': { up: normalizeStoredLogins, down: restoreLowerIndexes },
    '0003_connections': { up: (db: Kysely<unknown>) => addConnections(db, dialect), down: dropConnections },
    '0004_logs': { up: (db: Kysely<unknown>) => addLogs(db, dialect), down: dropLogs },
    '0005_api_scopes': { up: addApiScopes, down: dropApiScopes },
    '0006_user_blocked': { up: (db: Kysely<unknown>) => addUserBlocked(db, dialect), down: dropUserBlocked },
    '0007_role_ids': { up: addRoleIds, down: dropRoleIds },
    '0008_rate_limits_and_stats_index': { up: addRateLimitsAndStatsIndex, down: dropRateLimitsAndStatsIndex },
    '0009_api_skip_consent': { up: addApiSkipConsent, down: dropApiSkipConsent },
  };
}

/** A `MigrationProvider` serving `createMigrations(dialect)` from code (no files are read). */
export function createMigrationProvider(dialect: StorageDialect): MigrationProvider {
  return { getMigrations: async () => createMigrations(dialect) };
}

/**
 * Brings the database to the latest schema; returns the names of the migrations it ran. Safe to
 * call on every start and from several processes at once (Kysely's migrator takes a lock).
 * Throws the first migration error, after Kysely has rolled back the failing migration.
 *
 * In PostgreSQL, the bookkeeping tables go in the connection's current schema (the first of its
 * `search_path`), like the tables, so databases holding several schemas keep them apart.
 */
export async function migrateToLatest(db: Kysely<unknown>, dialect: StorageDialect): Promise<string[]> {
  const migrationTableSchema = dialect === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: createMigrationProvider(dialect), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  throwIfFailed(error, results);
  return (results ?? []).map((result) => result.migrationName);
}

async function currentSchema(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error('PostgreSQL search_path names no existing schema to migrate');
  return schema;
}

function throwIfFailed(error: unknown, results: MigrationResultSet['results']): void {
  if (error === undefined) return;
  const failed = results?.find((result) => result.status === 'Error')?.migrationName;
  const message = failed ? `Storage migration ${failed} failed` : 'Storage migration failed';
  const reason = error instanceof Error ? `: ${error.message}` : '';
  throw new Error(`${message}${reason}`, { cause: error });
}

async function createInitialSchema(db: Kysely<unknown>, dialect: StorageDialect): Promise<void> {
  await db.schema
    .createTable('clients')
    .addColumn('client_id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('redirect_uris', 'text', (col) => col.notNull())
    .addColumn('allowed_origins', 'text', (col) => col.notNull())
    .addColumn('post_logout_redirect_uris', 'text', (col) => col.notNull())
    .addColumn('apis', 'text', (col) => col.notNull())
    .addColumn('third_party', 'integer', (col) => col.notNull())
    .addColumn('legacy_implicit', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('apis')
    .addColumn('identifier', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('signing_alg', 'text', (col) => col.notNull())
    .addColumn('rbac', 'integer', (col) => col.notNull())
    .addColumn('scopes', 'text', (col) => col.notNull())
    .addColumn('access_token_ttl', 'integer', (col) => col.notNull())
    .addColumn('encryption', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('username', 'text')
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('nickname', 'text')
    .addColumn('picture', 'text')
    .addColumn('email_verified', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('users_email_lower')
    .on('users')
    .unique()
    .expression(sql`lower(email)`)
    .execute();
  await db.schema
    .createIndex('users_username_lower')
    .on('users')
    .unique()
    .expression(sql`lower(username)`)
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('description', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('role_permissions')
    .addColumn('role', 'text', (col) => col.notNull().references('roles.name').onDelete('cascade'))
    .addColumn('api', 'text', (col) => col.notNull())
    .addColumn('permission', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('role_permissions_pk', ['role', 'api', 'permission'])
    .execute();
  await db.schema
    .createTable('user_roles')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull().references('roles.name').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
    .execute();
  await db.schema.createIndex('user_roles_role').on('user_roles').column('role').execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (col) => col.primaryKey())
    .addColumn('alg', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('private_jwk', 'text', (col) => col.notNull())
    .addColumn('public_jwk', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('activated_at', 'bigint')
    .addColumn('retired_at', 'bigint')
    .execute();

  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'text', (col) => col.primaryKey())
    .addColumn('client_id', 'text', (col) =>
      col.notNull().references('clients.client_id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('redirect_uri', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('audience', 'text')
    .addColumn('nonce', 'text')
    .addColumn('code_challenge', 'text')
    .addColumn('auth_time', 'bigint', (col) => col.notNull())
    .addColumn('sid', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('consumed_at', 'bigint')
    .addColumn('issued_jti', 'text')
    .addColumn('issued_family_id', 'text')
    .execute();
  await db.schema
    .createIndex('authorization_codes_expires_at')
    .on('authorization_codes')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('token_families')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('client_id', 'text', (col) =>
      col.notNull().references('clients.client_id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('token_families_user_id').on('token_families').column('user_id').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('token_hash', 'text', (col) => col.primaryKey())
    .addColumn('family_id', 'text', (col) =>
      col.notNull().references('token_families.id').onDelete('cascade'),
    )
    .addColumn('client_id', 'text', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('audience', 'text')
    .addColumn('sid', 'text', (col) => col.notNull())
    .addColumn('auth_time', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .addColumn('spent_at', 'bigint')
    .addColumn('successor_hash', 'text')
    .addColumn('sealed_response', 'text')
    .execute();
  await db.schema.createIndex('refresh_tokens_family_id').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_user_id').on('refresh_tokens').column('user_id').execute();
  await db.schema.createIndex('refresh_tokens_sid').on('refresh_tokens').column('sid').execute();
  await db.schema
    .createIndex('refresh_tokens_expires_at')
    .on('refresh_tokens')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('consents')
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('client_id', 'text', (col) =>
      col.notNull().references('clients.client_id').onDelete('cascade'),
    )
    .addColumn('scopes', 'text', (col) => col.notNull())
    .addColumn('granted_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('consents_pk', ['user_id', 'client_id'])
    .execute();
  await db.schema.createIndex('consents_client_id').on('consents').column('client_id').execute();

  await db.schema
    .createTable('revocations')
    .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigint', (col) =>
      dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey().generatedAlwaysAsIdentity(),
    )
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('not_before', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('revocations_expires_at').on('revocations').column('expires_at').execute();

  await db.schema
    .createTable('interactions')
    .addColumn('id_hash', 'text', (col) => col.primaryKey())
    .addColumn('params', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('interactions_expires_at').on('interactions').column('expires_at').execute();
}

async function dropInitialSchema(db: Kysely<unknown>): Promise<void> {
  const tables = [
    'interactions',
    'revocations',
    'consents',
    'refresh_tokens',
    'token_families',
    'authorization_codes',
    'signing_keys',
    'user_roles',
    'role_permissions',
    'roles',
    'users',
    'apis',
    'clients',
  ];
  for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
}
