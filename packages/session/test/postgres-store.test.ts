import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/postgres-store.js';
import type { SessionStore } from '../src/session-store.js';
import { sampleRecord as record, runSessionStoreContract } from './store-contract.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL session store tests.');

/** A table name no other test file or run uses. */
function newTable(): string {
  return `sessions_test_${randomBytes(6).toString('hex')}`;
}

/** The store on a table of its own; `close()` drops the table, then closes the store. */
async function isolated(
  url: string,
  options: { pool?: pg.Pool; timeout?: number } = {},
): Promise<SessionStore & { table: string }> {
  const table = newTable();
  const store = await createPostgresStore({ database: options.pool ?? url, table, timeout: options.timeout });
  return {
    ...store,
    table,
    async close() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(table)}`);
      } finally {
        await client.end();
        await store.close?.();
      }
    },
  };
}

describe.skipIf(!databaseUrl)('PostgreSQL session store', () => {
  const url = databaseUrl!;
  let shared: pg.Pool;

  beforeAll(() => {
    shared = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 1_000 });
  });

  afterAll(async () => {
    await shared.end();
  });

  runSessionStoreContract('postgres, own pool', () => isolated(url));
  runSessionStoreContract('postgres, given pool', () => isolated(url, { pool: shared }));

  it('creates its table and indexes once, also when several stores start at once', async () => {
    const table = newTable();
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => createPostgresStore({ database: shared, table })),
    );
    const created = record();
    await stores[0]!.create(created);
    expect(await stores[3]!.get(created.idHash)).toEqual(created);
    const { rows } = await shared.query<{ indexname: string }>(
      'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
      [table],
    );
    expect(rows.map((r) => r.indexname)).toEqual([
      `${table}_absolute_expires_at`,
      `${table}_idle_expires_at`,
      `${table}_pkey`,
      `${table}_user_id`,
    ]);
    await shared.query(`DROP TABLE ${pg.escapeIdentifier(table)}`);
  });

  it('stores only the hash: the table holds no session id', async () => {
    const store = await isolated(url);
    try {
      const created = record();
      await store.create(created);
      const { rows } = await shared.query(`SELECT * FROM ${pg.escapeIdentifier(store.table)}`);
      expect(rows).toHaveLength(1);
      expect(rows[0].id_hash).toBe(created.idHash);
    } finally {
      await store.close?.();
    }
  });

  it('leaves a pool it was given open on close', async () => {
    const table = newTable();
    const store = await createPostgresStore({ database: shared, table });
    await store.close?.();
    expect(shared.ended).toBe(false);
    await shared.query(`DROP TABLE ${pg.escapeIdentifier(table)}`);
  });
});

describe('createPostgresStore options', () => {
  it.each([
    ['database', { database: 'mysql://localhost/x' }],
    ['database', { database: {} }],
    ['table', { database: 'postgres://localhost/x', table: 'x"; DROP TABLE users; --' }],
    ['timeout', { database: 'postgres://localhost/x', timeout: 0 }],
    ['poolSize', { database: 'postgres://localhost/x', poolSize: 0 }],
  ])('rejects with a TypeError naming %s', async (option, options) => {
    await expect(createPostgresStore(options as never)).rejects.toThrow(new RegExp(`^${option}:`));
  });
});
