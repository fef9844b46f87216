import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, NO_MIGRATIONS, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { isUniqueViolation } from './is-unique-violation.js';
import { createKyselyStorage } from './kysely-storage.js';
import { createMigrationProvider, createMigrations, migrateToLatest } from './migrations.js';
import { PostgresSchemaDialect } from './postgres-schema-dialect.js';
import type { Database, StorageDialect } from './schema.js';

const cleanups: (() => Promise<void>)[] = [];

function memoryDb(): Kysely<unknown> {
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
  cleanups.push(() => db.destroy());
  return db;
}

/** A Kysely on a new PostgreSQL schema of its own, dropped after the test. */
async function postgresDb(url: string): Promise<Kysely<unknown>> {
  const schema = `warden_migrate_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
  const db = new Kysely<unknown>({ dialect: new PostgresSchemaDialect({ pool }) });
  cleanups.push(async () => {
    await db.destroy();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });
  return db;
}

/** The names of the migrations that come after `name`, in order: what a database at `name` runs. */
function migrationsAfter(name: string, dialect: StorageDialect): string[] {
  return Object.keys(createMigrations(dialect)).filter((migration) => migration > name);
}

/** Brings `db` to the migration `name` (and no further), as a database of that release was left. */
async function migrateUpTo(db: Kysely<unknown>, dialect: StorageDialect, name: string): Promise<void> {
  const migrationTableSchema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({ db, provider: createMigrationProvider(dialect), migrationTableSchema });
  expect((await migrator.migrateTo(name)).error).toBeUndefined();
}

async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables.map((table) => table.name).sort();
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('migrateToLatest', () => {
  it('creates every table once; running again does nothing', async () => {
    const db = memoryDb();
    expect(await migrateToLatest(db, 'sqlite')).toEqual(migrationsAfter('', 'sqlite'));
    expect(migrationsAfter('', 'sqlite').slice(0, 3)).toEqual([
      '0001_initial',
      '0002_normalized_logins',
      '0003_connections',
    ]);
    expect(await tableNames(db)).toEqual([
      'apis',
      'authorization_codes',
      'client_connections',
      'clients',
      'connections',
      'consents',
      'identities',
      'interactions',
      'logs',
      'rate_limits',
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
    const { error } = await migrator.migrateTo(NO_MIGRATIONS);
    expect(error).toBeUndefined();
    expect(await tableNames(db)).toEqual([]);
  });
});

const databaseUrl = process.env.DATABASE_URL;
const dialects: { dialect: StorageDialect; open: () => Promise<Kysely<unknown>>; skip: boolean }[] = [
  { dialect: 'sqlite', open: async () => memoryDb(), skip: false },
  { dialect: 'postgres', open: () => postgresDb(databaseUrl ?? ''), skip: !databaseUrl },
];

describe.skipIf(!databaseUrl)('migrateToLatest on PostgreSQL', () => {
  it("looks at its own schema only, so another schema's tables, or its dropping, change nothing", async () => {
    const other = await postgresDb(databaseUrl ?? '');
    await sql`create table dragons (name text primary key, wings integer)`.execute(other);
    const db = await postgresDb(databaseUrl ?? '');
    expect(await migrateToLatest(db, 'postgres')).toEqual(migrationsAfter('', 'postgres'));
    expect(await tableNames(db)).not.toContain('dragons');
    expect(await tableNames(db)).toContain('users');
    const users = (await db.introspection.getTables()).find((table) => table.name === 'users');
    expect(users?.columns.find((column) => column.name === 'email')).toMatchObject({
      dataType: 'text',
      isNullable: true,
    });
    expect(await tableNames(other)).toEqual(['dragons']);
    // Schemas come and go while another process migrates: it does not notice.
    const churn = Array.from({ length: 8 }, async (_, n) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const schema = `warden_passing_${randomBytes(4).toString('hex')}_${n}`;
      await client.query(`create schema ${schema}`);
      await client.query(`create table ${schema}.t (id integer)`);
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    });
    const again = await Promise.all(Array.from({ length: 4 }, () => postgresDb(databaseUrl ?? '')));
    const migrated = await Promise.all([
      ...again.map((fresh) => migrateToLatest(fresh, 'postgres')),
      ...churn,
    ]);
    expect(migrated.slice(0, 4)).toEqual(again.map(() => migrationsAfter('', 'postgres')));
  });
});

describe.each(dialects)('0002_normalized_logins ($dialect)', ({ dialect, open, skip }) => {
  /** A database as the first release left it, holding `users`. */
  async function releasedDatabase(users: { id: string; email: string; username: string | null }[]) {
    const db = await open();
    const migrationTableSchema =
      dialect === 'postgres'
        ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
        : undefined;
    const migrator = new Migrator({ db, provider: createMigrationProvider(dialect), migrationTableSchema });
    expect((await migrator.migrateTo('0001_initial')).error).toBeUndefined();
    const typed = db as Kysely<Database>;
    for (const user of users) {
      await typed
        .insertInto('users')
        .values({
          ...user,
          password_hash: '$argon2id$hash',
          name: null,
          nickname: user.username,
          picture: null,
          email_verified: 0,
          created_at: 1,
          updated_at: 1,
        })
        .execute();
    }
    return db;
  }

  async function storedLogins(db: Kysely<unknown>) {
    return (db as Kysely<Database>)
      .selectFrom('users')
      .select(['id', 'email', 'username'])
      .orderBy('id')
      .execute();
  }

  it.skipIf(skip)(
    'rewrites existing emails and usernames in canonical form; sign-in and uniqueness follow',
    async () => {
      const db = await releasedDatabase([
        { id: 'u1', email: 'E\u0301mile-x@example.com', username: 'E\u0301mile' },
        { id: 'u2', email: 'user@xn--bcher-kva.de', username: 'Bilbo' },
        { id: 'u3', email: 'plain@example.com', username: null },
      ]);
      expect(await migrateToLatest(db, dialect)).toEqual(migrationsAfter('0001_initial', dialect));
      expect(await storedLogins(db)).toEqual([
        { id: 'u1', email: '\u00e9mile-x@example.com', username: '\u00e9mile' },
        { id: 'u2', email: 'user@b\u00fccher.de', username: 'bilbo' },
        { id: 'u3', email: 'plain@example.com', username: null },
      ]);

      const storage = createKyselyStorage(db as Kysely<Database>, dialect);
      expect((await storage.users.findByLogin('\u00c9mile-X@EXAMPLE.com'))?.id).toBe('u1');
      expect((await storage.users.findByLogin('\u00c9MILE'))?.id).toBe('u1');
      expect((await storage.users.findByLogin('USER@B\u00dcCHER.DE'))?.id).toBe('u2');
      const duplicate = await (db as Kysely<Database>)
        .insertInto('users')
        .values({
          id: 'u4',
          email: '\u00e9mile-x@example.com',
          username: null,
          password_hash: 'x',
          name: null,
          nickname: null,
          picture: null,
          email_verified: 0,
          created_at: 1,
          updated_at: 1,
        })
        .execute()
        .catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate)).toBe(true);
    },
  );

  it.skipIf(skip)(
    'refuses to run, naming the users, when two emails or usernames become one; changes nothing',
    async () => {
      const db = await releasedDatabase([
        { id: 'u1', email: '\u00e9mile@example.com', username: 'bilbo' },
        { id: 'u2', email: 'e\u0301mile@example.com', username: null },
        { id: 'u3', email: 'other@example.com', username: 'Fro\u0301do' },
        { id: 'u4', email: 'more@example.com', username: 'fr\u00f3do' },
      ]);
      const before = await storedLogins(db);
      const failure = await migrateToLatest(db, dialect).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      const message = (failure as Error).message;
      expect(message).toMatch(/^Storage migration 0002_normalized_logins failed: /);
      expect(message).toContain(
        'users with the same email "\u00e9mile@example.com" once normalised: u1 ("\u00e9mile@example.com"), u2 ("e\\u{301}mile@example.com")',
      );
      expect(message).toContain(
        'users with the same username "fr\u00f3do" once normalised: u3 ("Fro\\u{301}do"), u4 ("fr\u00f3do")',
      );
      expect(await storedLogins(db)).toEqual(before);

      // The operator gives one of each pair another address or name; the next start migrates.
      const typed = db as Kysely<Database>;
      await typed
        .updateTable('users')
        .set({ email: 'emile.two@example.com' })
        .where('id', '=', 'u2')
        .execute();
      await typed.updateTable('users').set({ username: null }).where('id', '=', 'u4').execute();
      expect(await migrateToLatest(db, dialect)).toEqual(migrationsAfter('0001_initial', dialect));
    },
  );
});

describe.each(dialects)('0003_connections ($dialect)', ({ dialect, open, skip }) => {
  it.skipIf(skip)(
    'keeps every user and what refers to them, makes email and password optional, and enables the password database for every client',
    async () => {
      const db = await open();
      await migrateUpTo(db, dialect, '0002_normalized_logins');
      const typed = db as Kysely<Database>;
      await typed
        .insertInto('users')
        .values({
          id: 'u1',
          email: 'ada@example.com',
          username: 'ada',
          password_hash: '$argon2id$hash',
          name: 'Ada',
          nickname: 'ada',
          picture: 'https://img.example/ada.png',
          email_verified: 1,
          created_at: 1,
          updated_at: 2,
        })
        .execute();
      await typed.insertInto('roles').values({ name: 'admin', description: '' }).execute();
      await typed.insertInto('user_roles').values({ user_id: 'u1', role: 'admin' }).execute();
      for (const clientId of ['spa', 'm2m']) {
        await typed
          .insertInto('clients')
          .values({
            client_id: clientId,
            name: clientId,
            type: clientId,
            secret_hash: null,
            redirect_uris: '[]',
            allowed_origins: '[]',
            post_logout_redirect_uris: '[]',
            apis: '[]',
            third_party: 0,
            legacy_implicit: 0,
            created_at: 1,
          })
          .execute();
      }

      expect(await migrateToLatest(db, dialect)).toEqual(migrationsAfter('0002_normalized_logins', dialect));
      const storage = createKyselyStorage(typed, dialect);
      expect(await storage.users.get('u1')).toEqual({
        id: 'u1',
        email: 'ada@example.com',
        username: 'ada',
        passwordHash: '$argon2id$hash',
        name: 'Ada',
        nickname: 'ada',
        picture: 'https://img.example/ada.png',
        givenName: null,
        familyName: null,
        locale: null,
        emailVerified: true,
        blocked: false,
        createdAt: 1,
        updatedAt: 2,
      });
      expect((await storage.roles.forUser('u1')).map((role) => role.name)).toEqual(['admin']);
      expect((await storage.connections.get('Username-Password-Authentication'))?.enabledClients).toEqual([
        'm2m',
        'spa',
      ]);
      // Foreign keys still hold on the rebuilt table: a role for a user who does not exist is refused.
      const orphan = await typed
        .insertInto('user_roles')
        .values({ user_id: 'nobody', role: 'admin' })
        .execute()
        .catch((error: unknown) => error);
      expect(orphan).toBeInstanceOf(Error);
      // Users without an email or a password, and a taken email still refused.
      await storage.users.insert({
        ...(await storage.users.get('u1'))!,
        id: 'github|1',
        email: null,
        username: null,
        passwordHash: null,
      });
      const duplicate = await storage.users
        .insert({ ...(await storage.users.get('u1'))!, id: 'u2', username: null })
        .catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate)).toBe(true);
    },
  );
});

describe.each(dialects)('0005_api_scopes ($dialect)', ({ dialect, open, skip }) => {
  it.skipIf(skip)(
    'keeps what each client is granted (every scope of its APIs) and gives APIs no scope descriptions',
    async () => {
      const db = await open();
      const before = Object.keys(createMigrations(dialect)).filter((name) => name < '0005_api_scopes');
      await migrateUpTo(db, dialect, before.at(-1)!);
      await sql`insert into apis (identifier, name, signing_alg, rbac, scopes, access_token_ttl, encryption, created_at)
        values ('https://api.example/', 'API', 'RS256', 0, '["read","write"]', 600, null, 1)`.execute(db);
      await sql`insert into clients (client_id, name, type, secret_hash, redirect_uris, allowed_origins,
        post_logout_redirect_uris, apis, third_party, legacy_implicit, created_at)
        values ('m2m', 'M2M', 'm2m', null, '[]', '[]', '[]', '["https://api.example/"]', 0, 0, 1)`.execute(
        db,
      );

      expect(await migrateToLatest(db, dialect)).toEqual(migrationsAfter(before.at(-1)!, dialect));
      const storage = createKyselyStorage(db as Kysely<Database>, dialect);
      expect(await storage.clients.get('m2m')).toMatchObject({
        apis: ['https://api.example/'],
        apiScopes: {},
      });
      expect(await storage.apis.get('https://api.example/')).toMatchObject({
        scopes: ['read', 'write'],
        scopeDescriptions: {},
      });
    },
  );
});

describe.each(dialects)('0006_user_blocked ($dialect)', ({ dialect, open, skip }) => {
  it.skipIf(skip)(
    'leaves every existing user unblocked and finds them by name in any letter case',
    async () => {
      const db = await open();
      await migrateUpTo(db, dialect, '0005_api_scopes');
      await sql`insert into users (id, email, username, password_hash, name, nickname, picture, email_verified, created_at, updated_at)
        values ('u1', 'ada@example.com', null, 'h', 'Ada Lovelace', null, null, 1, 1, 1),
               ('u2', 'bob@example.com', null, 'h', null, null, null, 0, 2, 2)`.execute(db);

      expect(await migrateToLatest(db, dialect)).toEqual(migrationsAfter('0005_api_scopes', dialect));
      const storage = createKyselyStorage(db as Kysely<Database>, dialect);
      expect(await storage.users.get('u1')).toMatchObject({ name: 'Ada Lovelace', blocked: false });
      expect(await storage.users.get('u2')).toMatchObject({ blocked: false });
      const found = await storage.users.search({
        filter: { kind: 'name', value: 'ADA', prefix: true },
        page: 0,
        perPage: 10,
      });
      expect(found.map((user) => user.id)).toEqual(['u1']);
    },
  );
});

describe.each(dialects)('0007_role_ids ($dialect)', ({ dialect, open, skip }) => {
  it.skipIf(skip)(
    'gives every existing role its own rol_ id, keeps its permissions and users, and keeps ids unique',
    async () => {
      const db = await open();
      const before = Object.keys(createMigrations(dialect)).filter((name) => name < '0007_role_ids');
      await migrateUpTo(db, dialect, before.at(-1)!);
      await sql`insert into users (id, email, username, password_hash, name, nickname, picture,
        email_verified, created_at, updated_at)
        values ('u1', 'ada@example.com', null, null, null, null, null, 0, 1, 1)`.execute(db);
      await sql`insert into roles (name, description) values ('admin', 'Sees orders'), ('viewer', '')`.execute(
        db,
      );
      await sql`insert into role_permissions (role, api, permission)
        values ('admin', 'https://api.example/', 'read:orders')`.execute(db);
      await sql`insert into user_roles (user_id, role) values ('u1', 'admin')`.execute(db);

      expect(await migrateToLatest(db, dialect)).toEqual(migrationsAfter(before.at(-1)!, dialect));
      const storage = createKyselyStorage(db as Kysely<Database>, dialect);
      const roles = await storage.roles.list();
      expect(roles.map(({ id, ...role }) => role)).toEqual([
        {
          name: 'admin',
          description: 'Sees orders',
          permissions: [{ api: 'https://api.example/', permission: 'read:orders' }],
        },
        { name: 'viewer', description: '', permissions: [] },
      ]);
      for (const role of roles) expect(role.id).toMatch(/^rol_[0-9a-f]{32}$/);
      expect(roles[0]!.id).not.toBe(roles[1]!.id);
      expect(await storage.roles.byId(roles[0]!.id)).toEqual(roles[0]);
      expect(await storage.roles.forUser('u1')).toEqual([roles[0]]);
      const sameId = await storage.roles
        .insert({ id: roles[0]!.id, name: 'other', description: '', permissions: [] })
        .catch((error: unknown) => error);
      expect(isUniqueViolation(sameId)).toBe(true);
    },
  );
});

describe.each(dialects)('0009_api_skip_consent ($dialect)', ({ dialect, open, skip }) => {
  it.skipIf(skip)('lets first-party clients skip consent for every existing API, as before', async () => {
    const db = await open();
    await migrateUpTo(db, dialect, '0008_rate_limits_and_stats_index');
    await sql`insert into apis (identifier, name, signing_alg, rbac, scopes, access_token_ttl, encryption, created_at)
      values ('https://api.example/', 'API', 'RS256', 1, '["read"]', 600, null, 1)`.execute(db);

    expect(await migrateToLatest(db, dialect)).toEqual(
      migrationsAfter('0008_rate_limits_and_stats_index', dialect),
    );
    const storage = createKyselyStorage(db as Kysely<Database>, dialect);
    expect(await storage.apis.get('https://api.example/')).toMatchObject({ rbac: true, skipConsent: true });
  });
});
