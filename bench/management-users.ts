/**
 * The management API's user lookups with `--users` users (default 100,000), in one process, SQLite
 * (a WAL file) and PostgreSQL (with DATABASE_URL): p50 and p99 of
 *
 * - `GET /api/v2/users?q=email:"…"` and `GET /api/v2/users-by-email?email=…` through the management
 *   app in process (`app.request`: token check, scope check, validation, Admin, storage, Auth0's
 *   shape and the JSON answer; no socket);
 * - `GET /api/v2/users?q=name:rider\ 42*` (a name prefix: a page of 50 of the ~1,100 it finds);
 * - beside them, the ceiling: the same indexed `SELECT … WHERE email = ?` through the same Kysely
 *   driver, and `storage.users.search` alone; and the management API's rate limit counter (one
 *   write per request, shared by every idp instance), part of every request's cost.
 *
 * Each request asks for a random one of the users. Issue 11's target: p99 ≤ 20 ms for the first two.
 *
 *   node --import tsx bench/management-users.ts [--users 100000] [--requests 2000]
 *
 * Table on stderr, one JSON object on stdout. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { mountManagementApi, registerManagementApi } from '@warden/management';
import { Admin, createAuthorizationServer, type OpenedStorage } from '@warden/server';
import { createMemoryStore } from '@warden/session';
import { sql } from 'kysely';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';
import { onEachStorage } from './lib/each-storage.js';

const args = readArgs({
  users: { default: 100_000, min: 1_000, max: 1_000_000 },
  requests: { default: 2_000, min: 100, max: 100_000 },
});

const ISSUER = 'http://localhost:3000/';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** p50 and p99 in milliseconds of `run(i)`, `args.requests` times after 100 warm-up calls. */
async function latency(run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 100; i += 1) await run(i);
  const times: number[] = [];
  for (let i = 0; i < args.requests; i += 1) {
    const start = process.hrtime.bigint();
    await run(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: round(percentile(times, 50), 3), p99Ms: round(percentile(times, 99), 3) };
}

/** Adds `users` users in one statement: user-<i>@bench.example, named "Rider <i>". */
async function fill(opened: OpenedStorage, users: number): Promise<void> {
  const columns = sql`id, email, username, password_hash, name, name_key, nickname, picture, given_name,
    family_name, locale, email_verified, blocked, created_at, updated_at`;
  const row = (i: ReturnType<typeof sql>) => sql`
    'user_bench_' || ${i}, 'user-' || ${i} || '@bench.example', null, '$argon2id$bench', 'Rider ' || ${i},
    'rider ' || ${i}, 'rider', null, null, null, null, 1, 0, 1700000000 + ${i}, 1700000000 + ${i}`;
  if (opened.dialect === 'postgres') {
    await sql`insert into users (${columns}) select ${row(sql`i`)} from generate_series(1, ${users}) as i`.execute(
      opened.db,
    );
    await sql`analyze users`.execute(opened.db);
  } else {
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${users})
      insert into users (${columns}) select ${row(sql`i`)} from n`.execute(opened.db);
    await sql`analyze`.execute(opened.db);
  }
}

async function run(opened: OpenedStorage, name: string) {
  const server = createAuthorizationServer({
    issuer: ISSUER,
    storage: opened.storage,
    sessionStore: createMemoryStore(),
    secret: randomBytes(32).toString('base64url'),
    // Counted as in production (a row per caller and window), never reached.
    managementRateLimit: { limit: 100_000_000, window: 10 },
  });
  const management = mountManagementApi(server);
  try {
    await registerManagementApi(server);
    const manager = (await new Admin(server.context).addClient({
      type: 'm2m',
      name: 'Bench',
      apis: [management.audience],
    })) as { client_id: string; client_secret: string };
    const tokenResponse = await server.app.request('/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${manager.client_id}:${manager.client_secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        audience: management.audience,
      }).toString(),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    say(`${name}: adding ${args.users} users…`);
    const fillStart = Date.now();
    await fill(opened, args.users);
    say(`${name}: added in ${round((Date.now() - fillStart) / 1000, 1)} s; measuring…`);

    const pick = () => 1 + Math.floor(Math.random() * args.users);
    const call = async (path: string, expectOne: boolean) => {
      const response = await server.app.request(`/api/v2${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as unknown[];
      if (expectOne && body.length !== 1) throw new Error(`${path}: ${body.length} users`);
    };
    const db = opened.db as unknown as import('kysely').Kysely<{ users: { email: string } }>;
    return {
      qEmail: await latency(() =>
        call(`/users?q=${encodeURIComponent(`email:"user-${pick()}@bench.example"`)}`, true),
      ),
      byEmail: await latency(() =>
        call(`/users-by-email?email=${encodeURIComponent(`user-${pick()}@bench.example`)}`, true),
      ),
      qNamePrefix: await latency(() =>
        call(`/users?q=${encodeURIComponent(`name:rider\\ ${pick() % 100}*`)}`, false),
      ),
      storageSearch: await latency(() =>
        opened.storage.users.search({
          filter: { kind: 'email', value: `user-${pick()}@bench.example`, prefix: false },
          page: 0,
          perPage: 50,
        }),
      ),
      rateLimitHit: await latency(() =>
        opened.storage.rateLimits.hit('mgmt:bench', Math.floor(Date.now() / 10_000) * 10_000),
      ),
      rawSelect: await latency(() =>
        db
          .selectFrom('users')
          .selectAll()
          .where('email', '=', `user-${pick()}@bench.example`)
          .executeTakeFirst(),
      ),
    };
  } finally {
    await management.close();
  }
}

const loadBefore = loadavg();
const results = await onEachStorage('users', run);

say();
const cell = (m: { p50Ms: number; p99Ms: number }) => `${m.p50Ms} / ${m.p99Ms}`;
say(
  formatTable([
    [
      'storage (p50 / p99 ms)',
      'q=email:"…"',
      'users-by-email',
      'q=name:x*',
      'storage search',
      'raw SELECT',
      'rate-limit write',
    ],
    ...results.map((r) => [
      r.name,
      cell(r.qEmail),
      cell(r.byEmail),
      cell(r.qNamePrefix),
      cell(r.storageSearch),
      cell(r.rawSelect),
      cell(r.rateLimitHit),
    ]),
  ]),
);
process.stdout.write(
  `${JSON.stringify({ scenario: 'management-users', users: args.users, requests: args.requests, results, machine: machineReport(loadBefore) })}\n`,
);
