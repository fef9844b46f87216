import { type Kysely, sql } from 'kysely';
import { nameKey } from '../users/name-key.js';
import type { StorageDialect } from './schema.js';

type UsersDb = Kysely<{ users: { id: string; name: string | null; name_key: string | null } }>;

/**
 * Migration `0006_user_blocked`, for the management API's users:
 *
 * - `users.blocked` (0/1, default 0): a blocked user cannot sign in or refresh tokens.
 * - `users.name_key`: `nameKey(name)`, filled in for the existing users, what name searches compare.
 * - Indexes for `users.search`, each a range: `name_key`, and in PostgreSQL `email` once more in
 *   the "C" collation (a prefix is a byte range only there; SQLite's `users_email` compares bytes
 *   already), plus `(created_at, id)`, the order users are listed in, so a page needs no sort.
 */
export async function addUserBlocked(db: Kysely<unknown>, dialect: StorageDialect): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('blocked', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('users').addColumn('name_key', 'text').execute();
  const users = db as UsersDb;
  const named = await users
    .selectFrom('users')
    .select(['id', 'name'])
    .where('name', 'is not', null)
    .execute();
  for (const row of named) {
    await users
      .updateTable('users')
      .set({ name_key: nameKey(row.name!) })
      .where('id', '=', row.id)
      .execute();
  }
  if (dialect === 'postgres') {
    await db.schema.createIndex('users_name_key').on('users').expression(sql`name_key collate "C"`).execute();
    await db.schema
      .createIndex('users_email_prefix')
      .on('users')
      .expression(sql`email collate "C"`)
      .execute();
  } else {
    await db.schema.createIndex('users_name_key').on('users').column('name_key').execute();
  }
  await db.schema.createIndex('users_created_at_id').on('users').columns(['created_at', 'id']).execute();
}

export async function dropUserBlocked(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_created_at_id').ifExists().execute();
  await db.schema.dropIndex('users_email_prefix').ifExists().execute();
  await db.schema.dropIndex('users_name_key').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('name_key').execute();
  await db.schema.alterTable('users').dropColumn('blocked').execute();
}
