import {
  type Expression,
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
} from 'kysely';
import { nameKey } from '../users/name-key.js';
import { normalizeEmail, normalizeUsername } from '../users/normalize-login.js';
import type { Database, StorageDialect, UsersTable } from './schema.js';
import type { Storage, User, UserFilter } from './storage.js';

type Db = Kysely<Database>;

/** Above every character: `x` then this is above every text that starts with `x`. */
const LAST_CHARACTER = '\u{10FFFF}';

/** Runs `fn` in a transaction, or in the caller's when one is already open. */
function atomically<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * `Storage['users']` over Kysely. Emails and usernames are stored in canonical form
 * (`normalizeEmail`, `normalizeUsername`) and compared exactly, so lookups, the unique indexes and
 * both databases agree; `name_key` holds `nameKey(name)` for name searches.
 *
 * `search` turns each `UserFilter` into an index range (migration 0006): an exact value is `=`, a
 * prefix `p` is `>= p and < p + U+10FFFF`, compared as bytes (SQLite's own collation; the "C"
 * collation in PostgreSQL, whose indexes for it are `users_email_prefix` and `users_name_key`).
 */
export function createKyselyUsers(db: Db, dialect: StorageDialect): Storage['users'] {
  const column = (name: 'email' | 'name_key'): Expression<string> =>
    dialect === 'postgres' ? sql<string>`${sql.ref(name)} collate "C"` : sql<string>`${sql.ref(name)}`;
  const startsWith = (eb: ExpressionBuilder<Database, 'users'>, name: 'email' | 'name_key', prefix: string) =>
    eb.and([eb(column(name), '>=', prefix), eb(column(name), '<', prefix + LAST_CHARACTER)]);
  const matching = (filter: UserFilter) => {
    const query = db.selectFrom('users');
    switch (filter.kind) {
      case 'all':
        return query;
      case 'id':
        return query.where('id', '=', filter.value);
      case 'email': {
        const email = normalizeEmail(filter.value);
        return filter.prefix
          ? query.where((eb) => startsWith(eb, 'email', email))
          : query.where('email', '=', email);
      }
      case 'name': {
        const key = nameKey(filter.value);
        return filter.prefix
          ? query.where((eb) => startsWith(eb, 'name_key', key))
          : query.where('name_key', '=', key);
      }
      case 'term':
        return query.where((eb) =>
          eb.or([
            startsWith(eb, 'email', normalizeEmail(filter.value)),
            startsWith(eb, 'name_key', nameKey(filter.value)),
          ]),
        );
    }
  };
  return {
    async get(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    async findByLogin(login) {
      // Canonical forms compared exactly, as the unique indexes do: no SQL lower() or collation,
      // whose Unicode rules differ between SQLite and PostgreSQL.
      const email = normalizeEmail(login);
      const username = normalizeUsername(login);
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb.or([eb('email', '=', email), eb('username', '=', username)]))
        .orderBy(sql`case when email = ${email} then 0 else 1 end`)
        .limit(1)
        .executeTakeFirst();
      return row && toUser(row);
    },
    async insert(user) {
      await db.insertInto('users').values(fromUser(user)).execute();
    },
    async updateProfile(id, profile, now) {
      await db
        .updateTable('users')
        .set({
          email: profile.email === null ? null : normalizeEmail(profile.email),
          name: profile.name,
          name_key: profile.name === null ? null : nameKey(profile.name),
          nickname: profile.nickname,
          picture: profile.picture,
          given_name: profile.givenName,
          family_name: profile.familyName,
          locale: profile.locale,
          email_verified: toFlag(profile.emailVerified),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    async setPassword(id, passwordHash, now) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
    async update(user) {
      const { id: _id, created_at: _created, ...fields } = fromUser(user);
      await db.updateTable('users').set(fields).where('id', '=', user.id).execute();
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
      return rows.map(toUser);
    },
    async search({ filter, page, perPage, descending }) {
      const direction = descending ? 'desc' : 'asc';
      const rows = await matching(filter)
        .selectAll()
        .orderBy('created_at', direction)
        .orderBy('id', direction)
        .limit(perPage)
        .offset(page * perPage)
        .execute();
      return rows.map(toUser);
    },
    async count(filter) {
      const row = await matching(filter)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async delete(id) {
      await atomically(db, async (trx) => {
        await trx.deleteFrom('user_roles').where('user_id', '=', id).execute();
        await trx.deleteFrom('authorization_codes').where('user_id', '=', id).execute();
        await trx.deleteFrom('refresh_tokens').where('user_id', '=', id).execute();
        await trx.deleteFrom('token_families').where('user_id', '=', id).execute();
        await trx.deleteFrom('consents').where('user_id', '=', id).execute();
        await trx.deleteFrom('identities').where('user_id', '=', id).execute();
        await trx.deleteFrom('users').where('id', '=', id).execute();
      });
    },
  };
}

/** A user as stored (`name_key` stays in the database). */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    passwordHash: row.password_hash,
    name: row.name,
    nickname: row.nickname,
    picture: row.picture,
    givenName: row.given_name,
    familyName: row.family_name,
    locale: row.locale,
    emailVerified: row.email_verified === 1,
    blocked: Number(row.blocked) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Emails and usernames are stored in canonical form, whoever inserts them. */
function fromUser(user: User): Insertable<UsersTable> {
  return {
    id: user.id,
    email: user.email === null ? null : normalizeEmail(user.email),
    username: user.username === null ? null : normalizeUsername(user.username),
    password_hash: user.passwordHash,
    name: user.name,
    name_key: user.name === null ? null : nameKey(user.name),
    nickname: user.nickname,
    picture: user.picture,
    given_name: user.givenName,
    family_name: user.familyName,
    locale: user.locale,
    email_verified: toFlag(user.emailVerified),
    blocked: toFlag(user.blocked === true),
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}
