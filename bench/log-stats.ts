/**
 * The management API's statistics over a large audit log, in one process, SQLite (a WAL file) and
 * PostgreSQL (with DATABASE_URL): `--entries` entries (default 1,000,000) spread over 30 days
 * (70 % `s`, 10 % `fp`, 5 % each `f`, `fu`, `ss`, `sapi`; 10,000 users), then the storage calls
 * behind `/stats/hourly` (24 hours, 31 days), `/stats/daily` (30 days) and `/stats/active-users`
 * (distinct users in 30 days). Each is a range of the `(type, date, user_id)` index (migration
 * 0008), so it costs what the range holds, not what the log holds.
 *
 *   node --import tsx bench/log-stats.ts [--entries 1000000] [--reps 10]
 *
 * Table on stderr, one JSON object on stdout. See bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenedStorage, openStorage } from '@warden/server';
import { sql } from 'kysely';
import pg from 'pg';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';

const args = readArgs({
  entries: { default: 1_000_000, min: 1_000, max: 10_000_000 },
  reps: { default: 10, min: 3, max: 1_000 },
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2024, 4, 1);
const SPAN = 30 * DAY;

async function medianMs(reps: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Fills the table to `entries` rows over 30 days in one statement. */
async function fill(opened: OpenedStorage, entries: number): Promise<void> {
  const step = Math.floor(SPAN / entries);
  const columns = sql`date, type, client_id, user_id, user_name, ip`;
  const row = (i: ReturnType<typeof sql>) => sql`
    cast(${START} as bigint) + cast(${i} as bigint) * ${step},
    case ${i} % 20 when 0 then 'fp' when 1 then 'fp' when 2 then 'f' when 3 then 'fu' when 4 then 'ss'
      when 5 then 'sapi' else 's' end,
    'bench-client', 'user-' || (${i} % 10000), 'user@example.com', '203.0.113.7'`;
  if (opened.dialect === 'postgres') {
    await sql`insert into logs (${columns}) select ${row(sql`i`)} from generate_series(1, ${entries}) as i`.execute(
      opened.db,
    );
    await sql`analyze logs`.execute(opened.db);
  } else {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${entries})
      insert into logs (${columns}) select ${row(sql`i`)} from n`.execute(opened.db);
    await sql`analyze`.execute(opened.db);
  }
}

async function measure(opened: OpenedStorage) {
  const { logs } = opened.storage;
  const end = START + SPAN;
  const signIns = ['s', 'f', 'fp', 'fu', 'ss'];
  return {
    hourly24hMs: round(
      await medianMs(args.reps, () =>
        logs.countByPeriod({ types: signIns, from: end - DAY, to: end, period: HOUR }),
      ),
      3,
    ),
    hourly31dMs: round(
      await medianMs(args.reps, () =>
        logs.countByPeriod({ types: signIns, from: end - 31 * DAY, to: end, period: HOUR }),
      ),
      3,
    ),
    daily30dMs: round(
      await medianMs(args.reps, () =>
        logs.countByPeriod({ types: ['s', 'ss'], from: end - SPAN, to: end, period: DAY }),
      ),
      3,
    ),
    activeUsers30dMs: round(
      await medianMs(args.reps, () => logs.countUsers({ type: 's', from: end - SPAN, to: end })),
      3,
    ),
  };
}

function postgresSchema(url: string): { schema: string; drop: () => Promise<void> } {
  const schema = `warden_bench_stats_${process.pid}`;
  return {
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

async function run(name: string, open: () => Promise<OpenedStorage>, cleanup: () => Promise<void>) {
  const opened = await open();
  try {
    say(`${name}: filling ${args.entries} entries…`);
    await fill(opened, args.entries);
    say(`${name}: counting…`);
    return { name, ...(await measure(opened)) };
  } finally {
    await opened.close();
    await cleanup();
  }
}

const loadBefore = loadavg();
const results = [];
const dir = mkdtempSync(join(tmpdir(), 'bench-stats-'));
results.push(
  await run(
    'SQLite',
    () => openStorage({ sqliteFile: join(dir, 'warden.db') }),
    async () => rmSync(dir, { recursive: true, force: true }),
  ),
);
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  const { schema, drop } = postgresSchema(databaseUrl);
  results.push(await run('PostgreSQL', () => openStorage({ databaseUrl, schema }), drop));
} else {
  say('DATABASE_URL is unset: PostgreSQL skipped.');
}

say();
say(
  formatTable([
    ['storage', 'hourly 24 h ms', 'hourly 31 d ms', 'daily 30 d ms', 'active users 30 d ms'],
    ...results.map((r) => [r.name, r.hourly24hMs, r.hourly31dMs, r.daily30dMs, r.activeUsers30dMs]),
  ]),
);
process.stdout.write(
  `${JSON.stringify({ scenario: 'log-stats', entries: args.entries, results, machine: machineReport(loadBefore) })}\n`,
);
