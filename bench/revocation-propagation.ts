/**
 * Revocation propagation: how long after a revocation is sent to the idp the APIs following its
 * revocation feed refuse the token, with one and with two API processes. Warden: the idp as
 * `npm start` composes it (`servers/warden-idp.ts`) and Express + `createJwtCheck` following the
 * feed over server-sent events (`servers/dragons-api-variants.ts`, `express-warden`); the token is a
 * client_credentials access token, revoked at `POST /oauth/revoke`. Same-run floor: the same chain
 * with nothing but `node:http` and one server-sent event (`servers/bare-revocation.ts`). Every
 * server is pinned to core 0; this script, which revokes and asks the APIs, runs on core 1.
 *
 * Each revocation: a fresh token, accepted twice by every API (so each has it cached, as for a
 * token in use); a random pause of up to `--jitter` ms, so revocations fall anywhere in the idp's
 * storage poll; then the revocation is sent and every API is asked again and again, each request
 * right after the previous answer, until it answers 401. Reported per case over `--revocations`
 * revocations (after `--warmup` unrecorded ones): median, p95 and max of the time from sending the
 * revocation to the first 401 of the first API and of the last API, and of the revocation request
 * itself. Progress and tables on stderr, one JSON object on stdout. See bench/README.md.
 *
 *   node --import tsx bench/revocation-propagation.ts [--revocations 100] [--warmup 5]
 *     [--jitter 250] [--apis 1,2] [--systems bare,warden]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { formatTable, machineReport, round, say, sleep } from './lib/bench-report.js';
import { checkPinning, LOAD_CORE, pinSelf } from './lib/pinned-node.js';
import { type ReadyLine, type ServerProcess, startServer } from './lib/server-process.js';

const SYSTEMS = ['bare', 'warden'] as const;
type SystemName = (typeof SYSTEMS)[number];
const LABELS: Record<SystemName, string> = {
  bare: 'bare node:http + one SSE event (floor)',
  warden: 'Warden idp + Express createJwtCheck',
};
/** A revocation not refused by every API this long after it was sent counts as not propagated. */
const GIVE_UP_MS = 10_000;

interface WardenIdpInfo extends ReadyLine {
  client_id: string;
  client_secret: string;
  api: string;
  scope: string;
}

/** An issuer and the APIs following it, as the measuring loop sees them. */
interface RunningSystem {
  apis: ServerProcess<ReadyLine>[];
  /** A token every API accepts. */
  token(): Promise<string>;
  /** Sends the revocation of `token` to the issuer; resolves once it answered 200. */
  revoke(token: string): Promise<void>;
  stop(): Promise<void>;
}

interface Sample {
  /** The revocation request's round trip. */
  revokeMs: number;
  /** Per API, from sending the revocation to its first 401 (null: not within GIVE_UP_MS). */
  refusedMs: (number | null)[];
}

interface Summary {
  median: number;
  p95: number;
  max: number;
}

interface CaseResult {
  system: SystemName;
  apis: number;
  revocations: number;
  /** Revocations some API still accepted after GIVE_UP_MS. */
  notPropagated: number;
  revokeMs: Summary;
  firstApiMs: Summary;
  allApisMs: Summary;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      revocations: { type: 'string' },
      warmup: { type: 'string' },
      jitter: { type: 'string' },
      apis: { type: 'string' },
      systems: { type: 'string' },
    },
    strict: true,
  });
  const count = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new TypeError(`--${name} must be an integer from ${min} to ${max}`);
    return value;
  };
  const apis = (values.apis ?? '1,2').split(',').map((value) => count('apis', value, 1, 1, 4));
  const systems = (values.systems ?? SYSTEMS.join(',')).split(',');
  for (const system of systems) {
    if (!SYSTEMS.includes(system as SystemName))
      throw new TypeError(`--systems: one or more of ${SYSTEMS.join(', ')}`);
  }
  return {
    revocations: count('revocations', values.revocations, 100, 1, 10_000),
    warmup: count('warmup', values.warmup, 5, 0, 100),
    jitterMs: count('jitter', values.jitter, 250, 0, 10_000),
    apis,
    systems: systems as SystemName[],
  };
}

/** The Warden idp and `apiCount` Express APIs with Warden's verifier following its feed. */
async function startWarden(apiCount: number): Promise<RunningSystem> {
  const idp = await startServer<WardenIdpInfo>({
    script: 'servers/warden-idp.ts',
    env: { BENCH_ALG: 'RS256', LOG_LEVEL: 'warn' },
  });
  const apis: ServerProcess<ReadyLine>[] = [];
  try {
    for (let i = 0; i < apiCount; i += 1) {
      apis.push(
        await startServer({
          script: 'servers/dragons-api-variants.ts',
          env: {
            BENCH_VARIANT: 'express-warden',
            BENCH_ALG: 'RS256',
            BENCH_ISSUER: `${idp.origin}/`,
            BENCH_AUDIENCE: idp.info.api,
            BENCH_REVOCATION: 'on',
          },
        }),
      );
    }
  } catch (error) {
    await Promise.all([...apis, idp].map((server) => server.stop()));
    throw error;
  }
  const basic = `Basic ${Buffer.from(`${idp.info.client_id}:${idp.info.client_secret}`).toString('base64')}`;
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${idp.origin}${path}`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  return {
    apis,
    async token() {
      const response = await post('/oauth/token', {
        grant_type: 'client_credentials',
        resource: idp.info.api,
        scope: idp.info.scope,
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`token request: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async revoke(token) {
      const response = await post('/oauth/revoke', { token, token_type_hint: 'access_token' });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`POST /oauth/revoke answered ${response.status}`);
    },
    stop: () => Promise.all([...apis, idp].map((server) => server.stop())).then(() => undefined),
  };
}

/** The floor: a bare feed and `apiCount` bare APIs following it. */
async function startBare(apiCount: number): Promise<RunningSystem> {
  const feed = await startServer<ReadyLine>({
    script: 'servers/bare-revocation.ts',
    env: { BENCH_ROLE: 'feed' },
  });
  const apis: ServerProcess<ReadyLine>[] = [];
  try {
    for (let i = 0; i < apiCount; i += 1) {
      apis.push(
        await startServer({
          script: 'servers/bare-revocation.ts',
          env: { BENCH_ROLE: 'api', BENCH_FEED_URL: `${feed.origin}/feed` },
        }),
      );
    }
  } catch (error) {
    await Promise.all([...apis, feed].map((server) => server.stop()));
    throw error;
  }
  return {
    apis,
    token: async () => randomBytes(32).toString('base64url'),
    async revoke(token) {
      const response = await fetch(`${feed.origin}/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`POST /revoke answered ${response.status}`);
    },
    stop: () => Promise.all([...apis, feed].map((server) => server.stop())).then(() => undefined),
  };
}

/** `GET /api/dragons` with `token`: the status (the body is read so the connection is reused). */
async function ask(api: ServerProcess<ReadyLine>, token: string): Promise<number> {
  const response = await fetch(`${api.origin}/api/dragons`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  return response.status;
}

/** Asks `api` back to back until it answers 401: ms from `sentAt`, or null after GIVE_UP_MS. */
async function untilRefused(
  api: ServerProcess<ReadyLine>,
  token: string,
  sentAt: number,
): Promise<number | null> {
  for (;;) {
    const status = await ask(api, token);
    const elapsed = performance.now() - sentAt;
    if (status === 401) return elapsed;
    if (status !== 200) throw new Error(`${api.origin} answered ${status} to a token being revoked`);
    if (elapsed > GIVE_UP_MS) return null;
  }
}

async function revokeOnce(system: RunningSystem, jitterMs: number): Promise<Sample> {
  const token = await system.token();
  for (const api of system.apis) {
    for (let i = 0; i < 2; i += 1) {
      const status = await ask(api, token);
      if (status !== 200) throw new Error(`${api.origin} answered ${status} to a fresh token`);
    }
  }
  await sleep(Math.random() * jitterMs);
  const sentAt = performance.now();
  const revoked = system.revoke(token).then(() => performance.now() - sentAt);
  const refusedMs = await Promise.all(system.apis.map((api) => untilRefused(api, token, sentAt)));
  return { revokeMs: await revoked, refusedMs };
}

function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
  return { median: round(at(0.5), 1), p95: round(at(0.95), 1), max: round(sorted.at(-1) ?? Number.NaN, 1) };
}

async function runCase(
  system: SystemName,
  apiCount: number,
  options: { revocations: number; warmup: number; jitterMs: number },
): Promise<CaseResult> {
  const running = system === 'warden' ? await startWarden(apiCount) : await startBare(apiCount);
  try {
    for (let i = 0; i < options.warmup; i += 1) await revokeOnce(running, options.jitterMs);
    const samples: Sample[] = [];
    for (let i = 0; i < options.revocations; i += 1)
      samples.push(await revokeOnce(running, options.jitterMs));
    const propagated = samples.filter((sample) => sample.refusedMs.every((ms) => ms !== null));
    const refused = propagated.map((sample) => sample.refusedMs as number[]);
    const result: CaseResult = {
      system,
      apis: apiCount,
      revocations: samples.length,
      notPropagated: samples.length - propagated.length,
      revokeMs: summarize(samples.map((sample) => sample.revokeMs)),
      firstApiMs: summarize(refused.map((times) => Math.min(...times))),
      allApisMs: summarize(refused.map((times) => Math.max(...times))),
    };
    say(
      `${LABELS[system].padEnd(40)} ${apiCount} API${apiCount > 1 ? 's' : ' '}: every API refuses after ` +
        `${result.allApisMs.median} ms median, ${result.allApisMs.p95} p95, ${result.allApisMs.max} max` +
        `${result.notPropagated ? ` (${result.notPropagated} not within ${GIVE_UP_MS} ms)` : ''}`,
    );
    return result;
  } finally {
    await running.stop();
  }
}

async function main(): Promise<void> {
  const options = readOptions();
  checkPinning();
  const loadBefore = loadavg();
  pinSelf(LOAD_CORE);
  say(
    `revocation propagation: ${options.revocations} revocations per case (+${options.warmup} warm-up), ` +
      `up to ${options.jitterMs} ms random pause before each; servers on core 0, this script on core 1`,
  );
  const results: CaseResult[] = [];
  for (const system of options.systems) {
    for (const apis of options.apis) results.push(await runCase(system, apis, options));
  }
  say('');
  say(
    formatTable([
      [
        'system',
        'APIs',
        'first API refuses: median / p95 / max ms',
        'every API refuses: median / p95 / max ms',
        'revoke request median ms',
      ],
      ...results.map((r) => [
        LABELS[r.system],
        r.apis,
        `${r.firstApiMs.median} / ${r.firstApiMs.p95} / ${r.firstApiMs.max}`,
        `${r.allApisMs.median} / ${r.allApisMs.p95} / ${r.allApisMs.max}`,
        r.revokeMs.median,
      ]),
    ]),
  );
  const floors = options.apis.map((apis) => {
    const warden = results.find((r) => r.system === 'warden' && r.apis === apis);
    const bare = results.find((r) => r.system === 'bare' && r.apis === apis);
    return {
      apis,
      wardenMedianMs: warden?.allApisMs.median ?? null,
      floorMedianMs: bare?.allApisMs.median ?? null,
      aboveFloorMs: warden && bare ? round(warden.allApisMs.median - bare.allApisMs.median, 1) : null,
    };
  });
  say('');
  for (const floor of floors) {
    if (floor.aboveFloorMs !== null)
      say(
        `${floor.apis} API(s): Warden ${floor.wardenMedianMs} ms median, ${floor.aboveFloorMs} ms above the same-run floor (${floor.floorMedianMs} ms)`,
      );
  }
  const notPropagated = results.reduce((sum, r) => sum + r.notPropagated, 0);
  if (notPropagated > 0)
    say(`INVALID RUN: ${notPropagated} revocation(s) not refused by every API within ${GIVE_UP_MS} ms`);
  process.stdout.write(
    `${JSON.stringify(
      {
        scenario: 'revocation-propagation',
        date: new Date().toISOString(),
        machine: machineReport(loadBefore),
        settings: { ...options, giveUpMs: GIVE_UP_MS },
        results: results.map((r) => ({ ...r, label: LABELS[r.system] })),
        floors,
        valid: notPropagated === 0,
      },
      null,
      2,
    )}\n`,
  );
  if (notPropagated > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
