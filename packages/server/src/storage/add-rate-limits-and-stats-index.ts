import type { Kysely } from 'kysely';

/**
 * Migration `0008_rate_limits_and_stats_index`:
 *
 * - `rate_limits`: fixed-window request counters, one row per key (`mgmt:<client_id>`), shared by
 *   every process on the database (`Storage['rateLimits']`). `window_start` is epoch ms; its index
 *   serves the purge of stale counters.
 * - `logs_type_date_user_id` on the audit log: the statistics (`/api/v2/stats/*`) count entries of
 *   a few types per day or hour and the distinct users who signed in, as ranges of this index alone
 *   (a covering index), however large the log.
 */
export async function addRateLimitsAndStatsIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('window_start', 'bigint', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_window_start').on('rate_limits').column('window_start').execute();
  await db.schema
    .createIndex('logs_type_date_user_id')
    .on('logs')
    .columns(['type', 'date', 'user_id'])
    .execute();
}

export async function dropRateLimitsAndStatsIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('logs_type_date_user_id').ifExists().execute();
  await db.schema.dropTable('rate_limits').ifExists().execute();
}
