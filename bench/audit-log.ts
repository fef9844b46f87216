import { loadavg } from 'node:os';
import type { NewLogEntry, OpenedStorage } from '@warden/server';
import { sql } from 'kysely';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';
import { onEachStorage } from './lib/each-storage.js';

const args = readArgs({
  entries: { default: 1_000_000, min: 1_000, max: 10_000_000 },
  appends: { default: 2_000, min: 100, max: 100_000 },
  reps: { default: 30, min: 3, max: 1_000 },
});

const sample: NewLogEntry = {
  date: Date.UTC(2024, 4, 1),
  type: 's',
  description: 'Success Login',
  clientId: 'bench-client',
  clientName: 'Bench',
  connection: 'Username-Password-Authentication',
  userId: 'user-1',
  userName: 'user-1@example.com',
  ip: '203.0.113.7',
  userAgent:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126 Safari/537.36',
  details: { reason: 'bench' },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** Milliseconds of `run()`, `reps` times: the median. */
async function medianMs(reps: number, run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return percentile(
    times.sort((a, b) => a - b),
    50,
  );
}

async function measureAppends(opened: OpenedStorage) {
  const times: number[] = [];
  for (let i = 0; i < args.appends; i += 1) {
    const start = process.hrtime.bigint();
    await opened.storage.logs.append({ ...sample, userId: `user-${i}` });
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  times.sort((a, b) => a - b);
  const concurrentStart = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < args.appends) {
        next += 1;
        await opened.storage.logs.append(sample);
      }
    }),
  );
  const concurrentSeconds = Number(process.hrtime.bigint() - concurrentStart) / 1e9;
  return {
    sequentialP50Us: round(percentile(times, 50), 0),
    sequentialP99Us: round(percentile(times, 99), 0),
    concurrent8PerSecond: round(args.appends / concurrentSeconds, 0),
  };
}

/** Fills the table to `entries` rows in one statement: a tenth `fp`, 10,000 users in turn. */
async function fill(opened: OpenedStorage, entries: number): Promise<void> {
  const have = await opened.storage.logs.count();
  const missing = entries - have;
  if (missing <= 0) return;
  const columns = sql`date, type, description, client_id, client_name, connection, user_id, user_name, ip, user_agent, details`;
  const row = (i: ReturnType<typeof sql>) => sql`
    cast(${sample.date} as bigint) + ${i} * 1000,
    case when ${i} % 10 = 0 then 'fp' else 's' end,
    ${sample.description}, ${sample.clientId}, ${sample.clientName}, ${sample.connection},
    'user-' || (${i} % 10000), ${sample.userName}, ${sample.ip}, ${sample.userAgent}, ${JSON.stringify(sample.details)}`;
  if (opened.dialect === 'postgres') {
    await sql`insert into logs (${columns}) select ${row(sql`i`)} from generate_series(1, ${missing}) as i`.execute(
      opened.db,
    );
    await sql`analyze logs`.execute(opened.db);
  } else {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${missing})
      insert into logs (${columns}) select ${row(sql`i`)} from n`.execute(opened.db);
    await sql`analyze`.execute(opened.db);
  }
}

async function measureReads(opened: OpenedStorage) {
  const { logs } = opened.storage;
  const first = Number((await logs.listFrom({ from: '0', take: 1 }))[0]!.logId);
  const last = Number((await logs.listFrom({ take: 1 }))[0]!.logId);
  const depths = [0, 0.25, 0.5, 0.75, 1] as const;
  const rows: Record<string, number | string>[] = [];
  for (const depth of depths) {
    const from = String(Math.max(first - 1, Math.floor(first + (last - first) * depth) - 100));
    const page = Math.floor((depth * (last - first)) / 100);
    rows.push({
      depth: `${depth * 100}%`,
      checkpointMs: round(await medianMs(args.reps, () => logs.listFrom({ from, take: 100 })), 3),
      checkpointTypeMs: round(
        await medianMs(args.reps, () =>
          logs.listFrom({ from, take: 100, filter: [{ field: 'type', anyOf: ['fp'] }] }),
        ),
        3,
      ),
      checkpointUserMs: round(
        await medianMs(args.reps, () =>
          logs.listFrom({ from, take: 100, filter: [{ field: 'userId', anyOf: ['user-42'] }] }),
        ),
        3,
      ),
      pageOffsetMs: round(
        await medianMs(Math.min(args.reps, 5), () => logs.listPage({ page, perPage: 100, ascending: true })),
        3,
      ),
    });
  }
  return {
    newestMs: round(await medianMs(args.reps, () => logs.listFrom({ take: 100 })), 3),
    byDepth: rows,
  };
}

async function run(opened: OpenedStorage, name: string) {
  say(`${name}: ${args.appends} appends one at a time, then eight in flight…`);
  const appends = await measureAppends(opened);
  say(`${name}: filling to ${args.entries} entries…`);
  const fillStart = Date.now();
  await fill(opened, args.entries);
  say(`${name}: filled in ${round((Date.now() - fillStart) / 1000, 1)} s; reading by checkpoint…`);
  const reads = await measureReads(opened);
  return { appends, reads };
}

const loadBefore = loadavg();
const results = await onEachStorage('audit', run);

say();
say(
  formatTable([
    ['storage', 'append p50 µs', 'append p99 µs', '8 in flight /s', 'newest 100 ms'],
    ...results.map((r) => [
      r.name,
      r.appends.sequentialP50Us,
      r.appends.sequentialP99Us,
      r.appends.concurrent8PerSecond,
      r.reads.newestMs,
    ]),
  ]),
);
say();
say(
  formatTable([
    ['storage', 'depth', 'checkpoint ms', 'type:fp ms', 'user_id ms', 'page (OFFSET) ms'],
    ...results.flatMap((r) =>
      r.reads.byDepth.map((row) => [
        r.name,
        row.depth!,
        row.checkpointMs!,
        row.checkpointTypeMs!,
        row.checkpointUserMs!,
        row.pageOffsetMs!,
      ]),
    ),
  ]),
);
process.stdout.write(
  `${JSON.stringify({ scenario: 'audit-log', entries: args.entries, results, machine: machineReport(loadBefore) })}\n`,
);
