import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/sqlite-store.js';
import { sampleRecord as record, runSessionStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'warden-session-'));
let files = 0;
const nextFile = () => join(dir, `sessions-${++files}.db`);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

runSessionStoreContract('sqlite file', async () => createSqliteStore({ database: nextFile() }));
runSessionStoreContract('sqlite :memory:', async () => createSqliteStore({ database: ':memory:' }));
runSessionStoreContract('sqlite, given Database, custom table', async () => {
  const db = new Database(':memory:');
  const store = createSqliteStore({ database: db, table: 'idp_sessions' });
  return {
    ...store,
    close: async () => {
      db.close();
    },
  };
});

describe('createSqliteStore', () => {
  it('opens a file it was given by name in WAL mode and closes it', async () => {
    const file = nextFile();
    const store = createSqliteStore({ database: file });
    const created = record();
    await store.create(created);
    await store.close?.();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    const reopened = createSqliteStore({ database: file });
    expect(await reopened.get(created.idHash)).toEqual(created);
    await reopened.close?.();
  });

  it('leaves a database it was given open on close', async () => {
    const db = new Database(':memory:');
    const store = createSqliteStore({ database: db });
    await store.close?.();
    expect(db.open).toBe(true);
    db.close();
  });

  it('creates its table and indexes, and reuses them when they exist', async () => {
    const db = new Database(':memory:');
    const first = createSqliteStore({ database: db, table: 'sso' });
    const created = record();
    await first.create(created);
    const second = createSqliteStore({ database: db, table: 'sso' });
    expect(await second.get(created.idHash)).toEqual(created);
    const indexes = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sso'",
      )
      .all()
      .map((row) => row.name);
    expect(indexes).toContain('sso_user_id');
    db.close();
  });

  it('sees writes made through another connection to the same file (as another process would)', async () => {
    const file = nextFile();
    const a = createSqliteStore({ database: file });
    const b = createSqliteStore({ database: file });
    const created = record();
    await a.create(created);
    expect(await b.update(created.idHash, { b: 2 }, 1)).toBe(true);
    expect(await a.update(created.idHash, { a: 2 }, 1)).toBe(false);
    await b.destroy(created.idHash);
    await a.touch(created.idHash, created.lastSeenAt + 1_000, created.idleExpiresAt + 60_000);
    expect(await a.get(created.idHash)).toBeUndefined();
    await a.close?.();
    await b.close?.();
  });

  it('refuses a table name that is not a plain identifier, naming the option', () => {
    expect(() => createSqliteStore({ database: ':memory:', table: 'x"; DROP TABLE users; --' })).toThrow(
      /^table:/,
    );
    expect(() => createSqliteStore({ database: ':memory:', table: '1sessions' })).toThrow(TypeError);
  });

  it('refuses something that is neither a Database nor a file name', () => {
    expect(() => createSqliteStore({ database: {} as Database.Database })).toThrow(/^database:/);
    expect(() => createSqliteStore({ database: '' })).toThrow(/^database:/);
  });
});
