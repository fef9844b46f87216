import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type OpenedStorage, openStorage } from '../src/storage/open-storage.js';
import { runStorageContract } from './storage-contract.js';

const databaseUrl = process.env.DATABASE_URL;

if (!databaseUrl) {
  console.warn('DATABASE_URL is unset: skipping the PostgreSQL storage tests.');
}

function newSchemaName(): string {
  return `warden_test_${randomBytes(6).toString('hex')}`;
}

/** Drops the schema over a connection of its own (the storage's may be closed or broken). */
async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
  } finally {
    await client.end();
  }
}

/** Opens the storage in a schema of its own; closing (or failing to open) drops the schema. */
async function openIsolated(url: string): Promise<OpenedStorage> {
  const schema = newSchemaName();
  let opened: OpenedStorage;
  try {
    opened = await openStorage({ databaseUrl: url, schema });
  } catch (error) {
    await dropSchema(url, schema);
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= opened.close().finally(() => dropSchema(url, schema));
    return closing;
  };
  return { ...opened, close };
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
