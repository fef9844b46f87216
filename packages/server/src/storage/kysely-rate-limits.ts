import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Storage } from './storage.js';

/**
 * `Storage['rateLimits']` over Kysely: one row per key, counted by a single upsert (`insert … on
 * conflict do update … returning`), atomic in SQLite and PostgreSQL alike, so processes sharing the
 * database share the count. The window's start comes from the caller's clock; the row keeps the
 * later of the stored and the given start.
 *
 * What it does NOT do: decide what is over a limit (`RateLimit` does), or read a clock.
 */
export function createKyselyRateLimits(db: Kysely<Database>): Storage['rateLimits'] {
  return {
    async hit(key, windowStart) {
      const row = await db
        .insertInto('rate_limits')
        .values({ key, window_start: windowStart, count: 1 })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => {
            const current = eb.ref('rate_limits.window_start');
            const given = eb.ref('excluded.window_start');
            const sameOrLater = eb(current, '>=', given);
            return {
              count: eb
                .case()
                .when(sameOrLater)
                .then(eb(eb.ref('rate_limits.count'), '+', 1))
                .else(1)
                .end(),
              window_start: eb.case().when(sameOrLater).then(current).else(given).end(),
            };
          }),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), windowStart: Number(row.window_start) };
    },
    async deleteBefore(windowStart) {
      const result = await db
        .deleteFrom('rate_limits')
        .where('window_start', '<', windowStart)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
