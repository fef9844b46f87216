import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenedStorage, openStorage } from '@warden/server';
import pg from 'pg';
import { say } from './bench-report.js';

/**
 * Runs `measure` on a fresh SQLite file (a WAL database in a temporary folder) and, when
 * `DATABASE_URL` is set, on a fresh PostgreSQL schema of this run's own (`warden_bench_<name>_<pid>`);
 * closes and removes each afterwards, whatever happens. Answers the results with the storage's name.
 */
export async function onEachStorage<T>(
  name: string,
  measure: (opened: OpenedStorage, storage: 'SQLite' | 'PostgreSQL') => Promise<T>,
): Promise<({ name: 'SQLite' | 'PostgreSQL' } & T)[]> {
  const results: ({ name: 'SQLite' | 'PostgreSQL' } & T)[] = [];
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  try {
    const opened = await openStorage({ sqliteFile: join(dir, 'warden.db') });
    try {
      results.push({ name: 'SQLite', ...(await measure(opened, 'SQLite')) });
    } finally {
      await opened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    say('DATABASE_URL is unset: PostgreSQL skipped.');
    return results;
  }
  const schema = `warden_bench_${name.replace(/\W/g, '_')}_${process.pid}`;
  try {
    const opened = await openStorage({ databaseUrl, schema });
    try {
      results.push({ name: 'PostgreSQL', ...(await measure(opened, 'PostgreSQL')) });
    } finally {
      await opened.close();
    }
  } finally {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
    await client.end();
  }
  return results;
}
