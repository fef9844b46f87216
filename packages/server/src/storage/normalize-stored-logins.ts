import { type Kysely, sql } from 'kysely';
import { normalizeEmail, normalizeUsername } from '../users/normalize-login.js';

interface LoginRow {
  id: string;
  email: string;
  username: string | null;
}

type UsersDb = Kysely<{ users: LoginRow }>;

/**
 * Migration `0002_normalized_logins`: rewrites every user's email and username in canonical form
 * (`normalizeEmail`, `normalizeUsername`) and replaces the `lower(…)` unique indexes with plain
 * unique indexes on the canonical values, which lookups compare exactly.
 *
 * When two users would end up with the same email, or the same username, it changes nothing and
 * fails, naming them: sign-in could not tell them apart, and merging or renaming accounts is a
 * decision for the operator (docs/cli.md says how). Runs in one transaction.
 */
export async function normalizeStoredLogins(db: Kysely<unknown>): Promise<void> {
  const run = async (trx: Kysely<unknown>) => {
    const users = trx as UsersDb;
    const rows = await users.selectFrom('users').select(['id', 'email', 'username']).orderBy('id').execute();
    const clashes = [
      ...findClashes(rows, 'email', (row) => normalizeEmail(row.email)),
      ...findClashes(rows, 'username', (row) =>
        row.username === null ? null : normalizeUsername(row.username),
      ),
    ];
    if (clashes.length > 0) {
      throw new Error(
        `${clashes.join('; ')}. Sign-in cannot tell these users apart: give all but one of each group ` +
          'another email or username (or delete them) in the users table, then start again.',
      );
    }
    await trx.schema.dropIndex('users_email_lower').execute();
    await trx.schema.dropIndex('users_username_lower').execute();
    for (const row of rows) {
      const email = normalizeEmail(row.email);
      const username = row.username === null ? null : normalizeUsername(row.username);
      if (email === row.email && username === row.username) continue;
      await users.updateTable('users').set({ email, username }).where('id', '=', row.id).execute();
    }
    await trx.schema.createIndex('users_email').on('users').unique().column('email').execute();
    await trx.schema.createIndex('users_username').on('users').unique().column('username').execute();
  };
  // PostgreSQL migrations already run in a transaction; SQLite's do not (Kysely).
  if (db.isTransaction) await run(db);
  else await db.transaction().execute(run);
}

/** Undoes the index change; the values stay canonical (they are lowercase already). */
export async function restoreLowerIndexes(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('users_email').execute();
  await db.schema.dropIndex('users_username').execute();
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
}

/** Groups of users whose `field` has the same canonical value, described for the operator. */
function findClashes(
  rows: LoginRow[],
  field: 'email' | 'username',
  canonical: (row: LoginRow) => string | null,
): string[] {
  const groups = new Map<string, LoginRow[]>();
  for (const row of rows) {
    const value = canonical(row);
    if (value === null) continue;
    groups.set(value, [...(groups.get(value) ?? []), row]);
  }
  return [...groups]
    .filter(([, group]) => group.length > 1)
    .map(
      ([value, group]) =>
        `users with the same ${field} ${visible(value)} once normalised: ${group
          .map((row) => `${row.id} (${visible(row[field] ?? '')})`)
          .join(', ')}`,
    );
}

/**
 * Quotes `text` with marks, invisible and compatibility characters escaped as `\u{…}`, so two
 * values that differ only in them (composed and decomposed é) look different in the message.
 */
function visible(text: string): string {
  let shown = '';
  for (const char of text) {
    const hidden = /[\p{M}\p{C}\p{Default_Ignorable_Code_Point}\p{White_Space}]/u.test(char);
    const compatibility = char.normalize('NFKC') !== char;
    shown += hidden || compatibility ? `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}` : char;
  }
  return `"${shown}"`;
}
