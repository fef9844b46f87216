/**
 * `Storage['roles']` over Kysely: roles (keyed by name, with a stable `rol_…` id), their
 * permissions per API, and their assignments to users.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Role, Storage } from './storage.js';

type Db = Kysely<Database>;

/** Runs `fn` in a transaction, or in the caller's when one is already open. */
function atomically<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export function createKyselyRoles(db: Db): Storage['roles'] {
  const addPermissions = async (trx: Db, name: string, permissions: Role['permissions']) => {
    if (permissions.length === 0) return;
    await trx
      .insertInto('role_permissions')
      .values(permissions.map(({ api, permission }) => ({ role: name, api, permission })))
      .onConflict((oc) => oc.columns(['role', 'api', 'permission']).doNothing())
      .execute();
  };
  return {
    async get(name) {
      const row = await db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();
      return row && (await withPermissions(db, [row]))[0];
    },
    async byId(id) {
      const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
      return row && (await withPermissions(db, [row]))[0];
    },
    async list() {
      const rows = await db.selectFrom('roles').selectAll().orderBy('name').execute();
      return withPermissions(db, rows);
    },
    async insert(role) {
      await atomically(db, async (trx) => {
        await trx
          .insertInto('roles')
          .values({ id: role.id, name: role.name, description: role.description })
          .execute();
        await addPermissions(trx, role.name, role.permissions);
      });
    },
    async upsert(role) {
      await atomically(db, async (trx) => {
        await trx
          .insertInto('roles')
          .values({ id: role.id, name: role.name, description: role.description })
          .onConflict((oc) =>
            role.description
              ? oc.column('name').doUpdateSet({ description: role.description })
              : oc.column('name').doNothing(),
          )
          .execute();
        await addPermissions(trx, role.name, role.permissions);
      });
    },
    async update(id, changes) {
      await atomically(db, async (trx) => {
        const current = await trx.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
        if (!current) return;
        if (current.name === changes.name) {
          await trx
            .updateTable('roles')
            .set({ description: changes.description })
            .where('id', '=', id)
            .execute();
          return;
        }
        // A rename: the name is the key permissions and assignments refer to (without ON UPDATE
        // CASCADE), so the role is written again under the new name, they move to it, and the old
        // row goes; the id is parked on the old row meanwhile, to stay unique.
        await trx
          .updateTable('roles')
          .set({ id: `${id}~renaming` })
          .where('id', '=', id)
          .execute();
        await trx
          .insertInto('roles')
          .values({ id, name: changes.name, description: changes.description })
          .execute();
        await trx
          .updateTable('role_permissions')
          .set({ role: changes.name })
          .where('role', '=', current.name)
          .execute();
        await trx
          .updateTable('user_roles')
          .set({ role: changes.name })
          .where('role', '=', current.name)
          .execute();
        await trx.deleteFrom('roles').where('name', '=', current.name).execute();
      });
    },
    async delete(name) {
      await atomically(db, async (trx) => {
        await trx.deleteFrom('user_roles').where('role', '=', name).execute();
        await trx.deleteFrom('role_permissions').where('role', '=', name).execute();
        await trx.deleteFrom('roles').where('name', '=', name).execute();
      });
    },
    async addPermissions(name, permissions) {
      await addPermissions(db, name, permissions);
    },
    async removePermissions(name, permissions) {
      if (permissions.length === 0) return;
      await db
        .deleteFrom('role_permissions')
        .where('role', '=', name)
        .where((eb) =>
          eb.or(
            permissions.map(({ api, permission }) =>
              eb.and([eb('api', '=', api), eb('permission', '=', permission)]),
            ),
          ),
        )
        .execute();
    },
    /** Idempotent. Rejects when the user or the role does not exist (a foreign key; SQLite needs foreign_keys=ON). */
    async assign(userId, roleName) {
      await db
        .insertInto('user_roles')
        .values({ user_id: userId, role: roleName })
        .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
        .execute();
    },
    async unassign(userId, roleName) {
      await db.deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', roleName).execute();
    },
    async forUser(userId) {
      const rows = await db
        .selectFrom('roles')
        .innerJoin('user_roles', 'user_roles.role', 'roles.name')
        .select(['roles.id', 'roles.name', 'roles.description'])
        .where('user_roles.user_id', '=', userId)
        .orderBy('roles.name')
        .execute();
      return withPermissions(db, rows);
    },
    async members(name, page) {
      let query = db.selectFrom('user_roles').select('user_id').where('role', '=', name);
      if (page.after !== undefined) query = query.where('user_id', '>', page.after);
      const rows = await query
        .orderBy('user_id')
        .limit(page.take)
        .offset(page.offset ?? 0)
        .execute();
      const counted = await db
        .selectFrom('user_roles')
        .select((eb) => eb.fn.countAll<number | string>().as('total'))
        .where('role', '=', name)
        .executeTakeFirstOrThrow();
      return { userIds: rows.map((row) => row.user_id), total: Number(counted.total) };
    },
  };
}

async function withPermissions(
  db: Db,
  rows: { id: string; name: string; description: string }[],
): Promise<Role[]> {
  if (rows.length === 0) return [];
  const permissions = await db
    .selectFrom('role_permissions')
    .selectAll()
    .where(
      'role',
      'in',
      rows.map((row) => row.name),
    )
    .orderBy('api')
    .orderBy('permission')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    permissions: permissions
      .filter((p) => p.role === row.name)
      .map(({ api, permission }) => ({ api, permission })),
  }));
}
