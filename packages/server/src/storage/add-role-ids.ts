import type { Kysely } from 'kysely';
import { newId } from '../ids.js';

/**
 * Migration `0007_role_ids`, for the management API: every role gets a stable id (Auth0's
 * `rol_…`, `newId('rol')`), the existing ones included, unique like the name, so a role can be
 * renamed and still be the same role at the same address (`/api/v2/roles/{id}`). The name stays
 * the primary key that permissions and assignments refer to.
 */
export async function addRoleIds(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('roles')
    .addColumn('id', 'text', (col) => col.notNull().defaultTo(''))
    .execute();
  const roles = db as Kysely<{ roles: { name: string; id: string } }>;
  for (const { name } of await roles.selectFrom('roles').select('name').execute()) {
    await roles
      .updateTable('roles')
      .set({ id: newId('rol') })
      .where('name', '=', name)
      .execute();
  }
  await db.schema.createIndex('roles_id').on('roles').column('id').unique().execute();
}

export async function dropRoleIds(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('roles_id').execute();
  await db.schema.alterTable('roles').dropColumn('id').execute();
}
