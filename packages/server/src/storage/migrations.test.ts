import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigrationProvider, migrateToLatest } from './migrations.js';

const open: Kysely<unknown>[] = [];

function memoryDb(): Kysely<unknown> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  open.push(db);
  return db;
}

async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((table) => table.name).sort();
}

afterEach(async () => {
  for (const db of open.splice(0)) await db.destroy();
});

describe('migrateToLatest', () => {
  it('creates every table once; running again does nothing', async () => {
    const db = memoryDb();
    expect(await migrateToLatest(db, 'sqlite')).toEqual(['0001_initial']);
    expect(await tableNames(db)).toEqual([
      'apis',
      'authorization_codes',
      'clients',
      'consents',
      'interactions',
      'refresh_tokens',
      'revocations',
      'role_permissions',
      'roles',
      'signing_keys',
      'token_families',
      'user_roles',
      'users',
    ]);
    expect(await migrateToLatest(db, 'sqlite')).toEqual([]);
  });

  it('can be rolled back to an empty database', async () => {
    const db = memoryDb();
    await migrateToLatest(db, 'sqlite');
    const migrator = new Migrator({ db, provider: createMigrationProvider('sqlite') });
    const { error } = await migrator.migrateDown();
    expect(error).toBeUndefined();
    expect(await tableNames(db)).toEqual([]);
  });
});
