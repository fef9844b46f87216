import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type OpenedStorage, openStorage } from '../src/storage/open-storage.js';

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

/**
 * Opens the storage on the PostgreSQL database at `url` in a new schema of its own, so tests never
 * see each other's rows; closing it (or failing to open it) drops the schema.
 */
export async function openIsolatedPostgres(url: string): Promise<OpenedStorage> {
  const schema = `warden_test_${randomBytes(6).toString('hex')}`;
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
