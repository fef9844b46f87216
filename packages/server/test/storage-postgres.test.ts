import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../src/storage/open-storage.js';
import { openIsolatedPostgres as openIsolated } from './open-isolated-postgres.js';
import { runStorageContract } from './storage-contract.js';

const databaseUrl = process.env.DATABASE_URL;

if (!databaseUrl) {
  console.warn('DATABASE_URL is unset: skipping the PostgreSQL storage tests.');
}

describe.skipIf(!databaseUrl)('PostgreSQL', () => {
  const url = databaseUrl ?? '';

  runStorageContract('PostgreSQL', async () => {
    const opened = await openIsolated(url);
    return { storage: opened.storage, close: opened.close };
  });

  describe('openStorage (PostgreSQL)', () => {
    it('keeps each schema apart and reads bigint columns as numbers', async () => {
      const a = await openIsolated(url);
      const b = await openIsolated(url);
      try {
        expect(a.dialect).toBe('postgres');
        expect(a.sqlite).toBeUndefined();
        const entry = await a.storage.revocations.add({
          kind: 'all',
          value: '*',
          notBefore: 1,
          expiresAt: 2,
        });
        expect(entry).toEqual({ seq: 1, kind: 'all', value: '*', notBefore: 1, expiresAt: 2 });
        expect(await b.storage.revocations.since(0, 10)).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('migrates an existing schema again without changing it', async () => {
      const first = await openIsolated(url);
      const schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(first.db))
        .rows[0]?.schema;
      try {
        await first.storage.revocations.add({ kind: 'jti', value: 'j', notBefore: 1, expiresAt: 2 });
        const second = await openStorage({ databaseUrl: url, schema });
        try {
          expect(await second.storage.revocations.since(0, 10)).toHaveLength(1);
        } finally {
          await second.close();
        }
      } finally {
        await first.close();
      }
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(openStorage({ databaseUrl: url, schema: 'bad"; drop' })).rejects.toThrow(/schema/);
      await expect(openStorage({ databaseUrl: url, schema: 'Upper' })).rejects.toThrow(/schema/);
    });
  });
});
