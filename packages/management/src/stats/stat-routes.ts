import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ServerContext } from '@warden/server';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { errorResponses, jsonAnswer, needs } from '../http/route-parts.js';
import { queryError } from '../http/validation-error.js';
import { DailyStats, DailyStatsQuery, HourlyStats, HourlyStatsQuery } from './stat-schemas.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back a user's sign-in makes them active (Auth0's 30 days). */
const ACTIVE_DAYS = 30;
const MAX_DAYS = 366;
const MAX_HOURS = 31 * 24;

/** The audit log's codes each statistic counts. */
const LOGINS = ['s'];
const SIGNUPS = ['ss'];
const FAILURES = ['f', 'fp', 'fu'];

const tags = ['Stats'];

const daily = createRoute({
  method: 'get',
  path: '/stats/daily',
  tags,
  summary: 'Sign-ins and sign-ups per day',
  description:
    'Every day from `from` to `to` (UTC), today included and later days left out, counted from the audit log.',
  security: needs('read:stats'),
  request: { query: DailyStatsQuery },
  responses: {
    200: jsonAnswer('One entry per day, oldest first.', z.array(DailyStats)),
    ...errorResponses(400, 401, 403),
  },
});

const activeUsers = createRoute({
  method: 'get',
  path: '/stats/active-users',
  tags,
  summary: 'Users who signed in in the last 30 days',
  description: `How many different users have a successful sign-in (s) in the audit log in the last ${ACTIVE_DAYS} days. Entries purged by the retention setting no longer count.`,
  security: needs('read:stats'),
  request: { query: z.strictObject({}) },
  responses: { 200: jsonAnswer('A number.', z.number().int()), ...errorResponses(400, 401, 403) },
});

const hourly = createRoute({
  method: 'get',
  path: '/stats/hourly',
  tags,
  summary: 'Sign-ins, failures and sign-ups per hour (Warden)',
  description: "Warden's own, not Auth0's: every hour from `from` to `to` (UTC), for the console's charts.",
  security: needs('read:stats'),
  request: { query: HourlyStatsQuery },
  responses: {
    200: jsonAnswer('One entry per hour, oldest first.', z.array(HourlyStats)),
    ...errorResponses(400, 401, 403),
  },
});

/** `/stats`: counts of the audit log per day, per hour, and the active users, on the server's clock. */
export function statRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth, ctx: ServerContext): void {
  const { clock } = ctx.config;
  const logs = ctx.storage.logs;

  app.openapi({ ...daily, middleware: [auth.require('read:stats')] }, async (c) => {
    const query = c.req.valid('query');
    const now = clock();
    const to = query.to === undefined ? Math.floor(now / DAY) * DAY : dayOf(query.to, 'to');
    const from = query.from === undefined ? to - (ACTIVE_DAYS - 1) * DAY : dayOf(query.from, 'from');
    if (from > to) throw queryError('from', 'from is after to');
    if ((to - from) / DAY + 1 > MAX_DAYS) throw queryError('to', `at most ${MAX_DAYS} days at once`);
    const end = Math.min(to + DAY, Math.floor(now / DAY) * DAY + DAY);
    const counts = await countPeriods(
      logs,
      { from, to: end, period: DAY },
      { logins: LOGINS, signups: SIGNUPS },
    );
    return c.json(
      counts.map(({ start, logins, signups }) => ({
        date: iso(start),
        logins,
        signups,
        leaked_passwords: 0,
        updated_at: iso(Math.min(now, start + DAY - 1)),
        created_at: iso(start),
      })),
      200,
    );
  });

  app.openapi({ ...activeUsers, middleware: [auth.require('read:stats')] }, async (c) => {
    const now = clock();
    return c.json(await logs.countUsers({ type: 's', from: now - ACTIVE_DAYS * DAY, to: now + 1 }), 200);
  });

  app.openapi({ ...hourly, middleware: [auth.require('read:stats')] }, async (c) => {
    const query = c.req.valid('query');
    const to = query.to === undefined ? Math.floor(clock() / HOUR) * HOUR + HOUR : instantOf(query.to, 'to');
    const from =
      Math.floor((query.from === undefined ? to - DAY : instantOf(query.from, 'from')) / HOUR) * HOUR;
    if (from >= to) throw queryError('from', 'from is not before to');
    if ((to - from) / HOUR > MAX_HOURS)
      throw queryError('to', `at most ${MAX_HOURS} hours (31 days) at once`);
    const counts = await countPeriods(
      logs,
      { from, to, period: HOUR },
      { logins: LOGINS, failures: FAILURES, signups: SIGNUPS },
    );
    return c.json(
      counts.map(({ start, logins, failures, signups }) => ({ hour: iso(start), logins, failures, signups })),
      200,
    );
  });
}

/**
 * Every period starting in [`from`, `to`) with, for each name of `groups`, how many entries of its
 * types it holds (0 when none): one indexed query for all of them.
 */
async function countPeriods<K extends string>(
  logs: ServerContext['storage']['logs'],
  range: { from: number; to: number; period: number },
  groups: Record<K, readonly string[]>,
): Promise<({ start: number } & Record<K, number>)[]> {
  const names = Object.keys(groups) as K[];
  const groupOf = new Map<string, K>();
  for (const name of names) for (const type of groups[name]) groupOf.set(type, name);
  const periods = new Map<number, Record<string, number>>();
  for (let start = range.from; start < range.to; start += range.period) {
    periods.set(start, Object.fromEntries(names.map((name) => [name, 0])));
  }
  const counted = await logs.countByPeriod({ types: [...groupOf.keys()], ...range });
  for (const { start, type, count } of counted) {
    const period = periods.get(start);
    const name = groupOf.get(type);
    if (period && name !== undefined) period[name] = (period[name] ?? 0) + count;
  }
  return [...periods].map(
    ([start, counts]) => ({ start, ...counts }) as { start: number } & Record<K, number>,
  );
}

/** `YYYYMMDD` as the epoch ms of that day's start (UTC); a day that does not exist is a 400. */
function dayOf(text: string, property: string): number {
  const start = Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8)));
  if (Number.isNaN(start) || iso(start).slice(0, 10).replaceAll('-', '') !== text) {
    throw queryError(property, `${text} is not a day (YYYYMMDD)`);
  }
  return start;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** An ISO 8601 date or date-time (no zone: UTC) as epoch ms; anything else is a 400. */
function instantOf(text: string, property: string): number {
  const zoned = /(?:Z|[+-]\d{2}:\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const time = DATE_TIME.test(text) ? Date.parse(zoned) : Number.NaN;
  if (Number.isNaN(time))
    throw queryError(property, `${text} is not an ISO 8601 date-time (2024-05-01T12:00:00Z)`);
  return time;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
