import { loadavg } from 'node:os';
import type { OpenedStorage } from '@warden/server';
import { sql } from 'kysely';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';
import { onEachStorage } from './lib/each-storage.js';

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

async function run(opened: OpenedStorage, name: string) {
  say(`${name}: filling ${args.entries} entries…`);
  await fill(opened, args.entries);
  say(`${name}: counting…`);
  return measure(opened);
}

const loadBefore = loadavg();
const results = await onEachStorage('stats', run);

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
