/**
 * Token endpoint throughput, client_credentials with client_secret_basic, RS256 and ES256: the
 * Warden idp against oidc-provider configured equivalently (JWT access tokens), in the same run,
 * plus a bare `node:http` + `node:crypto` server as the ceiling of any Node server here. Each
 * server runs alone, pinned to core 0; autocannon runs pinned to core 1. Prints progress and a
 * table on stderr and one JSON object on stdout. See bench/README.md.
 *
 *   node --import tsx bench/token-endpoint.ts [--duration 10] [--warmup 3] [--connections 32]
 *     [--rounds 1] [--algs RS256,ES256] [--servers oidc-provider,warden,bare-node] [--profile]
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable, machineReport, readArgs, round, say, sleep } from './lib/bench-report.js';
import { checkJwtAccessToken } from './lib/check-jwt-access-token.js';
import { checkPinning, LOAD_CORE, pinSelf } from './lib/pinned-node.js';
import { type CpuUse, diffThreadCpu, readThreadCpu } from './lib/proc-cpu.js';
import { readMemory, sampleMemory } from './lib/proc-memory.js';
import { type LoadResult, runLoad } from './lib/run-load.js';
import { type ReadyLine, startServer } from './lib/server-process.js';
import {
  findMainThreadProfile,
  type ProfileSummary,
  summarizeCpuProfile,
} from './lib/summarize-cpu-profile.js';

type Alg = 'RS256' | 'ES256';
type ServerName = 'warden' | 'oidc-provider' | 'bare-node';

interface TokenServerInfo extends ReadyLine {
  client_id: string;
  client_secret: string;
  api: string;
  scope: string;
}

interface CaseResult {
  alg: Alg;
  server: ServerName;
  round: number;
  token: { alg: string; typ: string | undefined; length: number };
  load: LoadResult;
  memory: { idleRssMb: number; peakRssMb: number; hwmMb: number; samples: number };
  /** Server CPU during warm-up + run, the wall time it covers, and CPU per request answered. */
  cpu: CpuUse & { wallMs: number; usPerRequest: number };
  profile?: ProfileSummary;
}

/** Warden's req/s over oidc-provider's, per algorithm (the targets). */
const TARGET_RATIO: Record<Alg, number> = { ES256: 3, RS256: 1.5 };
const TARGET_IDLE_RSS_MB = 120;
const TARGET_PEAK_RSS_MB = 250;
const SCRIPTS: Record<ServerName, string> = {
  warden: 'servers/warden-idp.ts',
  'oidc-provider': 'servers/oidc-provider.ts',
  'bare-node': 'servers/bare-node.ts',
};

function readList<T extends string>(value: string, allowed: readonly T[], option: string): T[] {
  const items = value.split(',').map((item) => item.trim());
  for (const item of items) {
    if (!allowed.includes(item as T)) throw new TypeError(`--${option}: a list of ${allowed.join(', ')}`);
  }
  return items as T[];
}

/** Gets one token outside the measurement and checks it is a JWT of `alg` signed by the issuer. */
async function fetchOneToken(origin: string, request: RequestInit, info: TokenServerInfo, alg: Alg) {
  const response = await fetch(`${origin}/oauth/token`, request);
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  }
  return checkJwtAccessToken(origin, body.access_token, alg, info.api);
}

interface CaseSettings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  profile: boolean;
}

async function runCase(server: ServerName, alg: Alg, round: number, args: CaseSettings): Promise<CaseResult> {
  const profileDir = args.profile ? mkdtempSync(join(tmpdir(), `bench-prof-${server}-${alg}-`)) : undefined;
  const running = await startServer<TokenServerInfo>({
    script: SCRIPTS[server],
    env: { BENCH_ALG: alg },
    cpuProfileDir: profileDir,
  });
  try {
    await sleep(3000);
    const idle = readMemory(running.pid);
    const credentials = `${running.info.client_id}:${running.info.client_secret}`;
    const headers = {
      authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    };
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      resource: running.info.api,
      scope: running.info.scope,
    }).toString();
    const token = await fetchOneToken(running.origin, { method: 'POST', headers, body }, running.info, alg);
    say(`  ${server} ${alg}: ${token.alg} typ=${token.typ} JWT verified against its JWKS; loading…`);
    const loadStartMs = performance.now() - running.spawnedAt;
    const sampler = sampleMemory(running.pid, 200);
    const cpuBefore = readThreadCpu(running.pid);
    const load = await runLoad({
      url: `${running.origin}/oauth/token`,
      method: 'POST',
      headers,
      body,
      connections: args.connections,
      pipelining: 1,
      warmupSeconds: args.warmupSeconds,
      durationSeconds: args.durationSeconds,
    });
    const cpu = diffThreadCpu(running.pid, cpuBefore, readThreadCpu(running.pid));
    const wallMs = Math.round(performance.now() - running.spawnedAt - loadStartMs);
    const sampled = sampler.stop();
    const after = readMemory(running.pid);
    await running.stop();
    const answered = load.requests + load.warmupRequests;
    const result: CaseResult = {
      alg,
      server,
      round,
      token: { alg: token.alg, typ: token.typ, length: token.length },
      load,
      memory: {
        idleRssMb: idle?.rssMb ?? Number.NaN,
        peakRssMb: Math.max(sampled.peakRssMb, after?.hwmMb ?? 0),
        hwmMb: after?.hwmMb ?? Number.NaN,
        samples: sampled.samples,
      },
      cpu: { ...cpu, wallMs, usPerRequest: Math.round(((cpu.mainMs + cpu.otherMs) * 1000) / answered) },
    };
    const profile = profileDir ? findMainThreadProfile(profileDir) : undefined;
    if (profile) result.profile = summarizeCpuProfile(profile, { skipMs: loadStartMs });
    return result;
  } finally {
    await running.stop();
  }
}

/** The run with the median req/s of each (alg, server) over the rounds. */
function medianRuns(results: CaseResult[], algs: Alg[], servers: ServerName[]): CaseResult[] {
  const medians: CaseResult[] = [];
  for (const alg of algs) {
    for (const server of servers) {
      const runs = results
        .filter((r) => r.alg === alg && r.server === server)
        .sort((a, b) => a.load.requestsPerSecond - b.load.requestsPerSecond);
      const median = runs[Math.floor((runs.length - 1) / 2)];
      if (median) medians.push(median);
    }
  }
  return medians;
}

function printProfile(result: CaseResult): void {
  if (!result.profile) return;
  const { file, busyMs, idleMs } = result.profile;
  const rows = (entries: { percent: number; ms: number; name: string }[]) =>
    formatTable(entries.map((entry) => [`${entry.percent}%`, `${entry.ms} ms`, entry.name]));
  say(`\nCPU profile, ${result.server} ${result.alg}, main thread during the load (${file})`);
  say(`${busyMs} ms busy, ${idleMs} ms idle; self time by origin:`);
  say(rows(result.profile.byOrigin));
  say('self time by function:');
  say(rows(result.profile.topFunctions));
  if (result.profile.inclusiveWorkspace.length === 0) return;
  say('inclusive (synchronous) time of workspace functions:');
  say(rows(result.profile.inclusiveWorkspace));
}

async function main(): Promise<void> {
  const args = readArgs(
    { connections: { default: 32, min: 1, max: 256 }, rounds: { default: 1, min: 1, max: 5 } },
    { algs: 'RS256,ES256', servers: 'oidc-provider,warden,bare-node' },
  );
  const algs = readList<Alg>(args.strings.algs ?? '', ['RS256', 'ES256'], 'algs');
  const servers = readList<ServerName>(
    args.strings.servers ?? '',
    ['oidc-provider', 'warden', 'bare-node'],
    'servers',
  );
  checkPinning();
  pinSelf(LOAD_CORE);
  say(
    `token endpoint: client_credentials, ${args.connections} connections, pipelining 1, ` +
      `${args.warmupSeconds} s warm-up + ${args.durationSeconds} s per case, ${args.rounds} round(s); ` +
      'server on core 0, autocannon on core 1',
  );
  const loadBefore = loadavg();
  const results: CaseResult[] = [];
  for (let round = 1; round <= args.rounds; round += 1) {
    for (const alg of algs) {
      // Alternate the order between rounds, so drift on the machine does not favour one server.
      const order = round % 2 === 1 ? servers : [...servers].reverse();
      for (const server of order) results.push(await runCase(server, alg, round, args));
    }
  }
  const medians = medianRuns(results, algs, servers);
  const rate = (alg: Alg, server: ServerName) =>
    medians.find((r) => r.alg === alg && r.server === server)?.load.requestsPerSecond;
  const comparisons = algs.flatMap((alg) => {
    const warden = rate(alg, 'warden');
    const peer = rate(alg, 'oidc-provider');
    const ceiling = rate(alg, 'bare-node');
    if (warden === undefined || peer === undefined) return [];
    const ratio = round(warden / peer);
    return [
      {
        alg,
        ratio,
        target: TARGET_RATIO[alg],
        pass: ratio >= TARGET_RATIO[alg],
        ...(ceiling === undefined
          ? {}
          : { ceilingOverPeer: round(ceiling / peer), wardenShareOfCeiling: round(warden / ceiling) }),
      },
    ];
  });
  const wardenRuns = results.filter((r) => r.server === 'warden');
  const idleRssMb = Math.max(...wardenRuns.map((r) => r.memory.idleRssMb));
  const peakRssMb = Math.max(...wardenRuns.map((r) => r.memory.peakRssMb));
  const invalid = results.filter((r) => r.load.non2xx > 0 || r.load.errors > 0 || r.load.timeouts > 0);
  const output = {
    scenario: 'token-endpoint',
    date: new Date().toISOString(),
    machine: machineReport(loadBefore),
    settings: {
      connections: args.connections,
      pipelining: 1,
      warmupSeconds: args.warmupSeconds,
      durationSeconds: args.durationSeconds,
      rounds: args.rounds,
    },
    /** Per (alg, server): the round with the median req/s. */
    results: medians.map(({ profile, ...rest }) => rest),
    allRuns: results.map((r) => ({
      alg: r.alg,
      server: r.server,
      round: r.round,
      rps: r.load.requestsPerSecond,
    })),
    comparisons,
    wardenMemory: wardenRuns.length
      ? {
          idleRssMb,
          peakRssMb,
          idleTargetMb: TARGET_IDLE_RSS_MB,
          peakTargetMb: TARGET_PEAK_RSS_MB,
          pass: idleRssMb <= TARGET_IDLE_RSS_MB && peakRssMb <= TARGET_PEAK_RSS_MB,
        }
      : undefined,
    valid: invalid.length === 0,
    ...(args.profile ? { profiles: results.map((r) => r.profile) } : {}),
  };
  say('');
  say(
    formatTable([
      [
        'alg',
        'server',
        'req/s',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'errors',
        'idle RSS MB',
        'peak RSS MB',
        'CPU µs/req',
      ],
      ...medians.map((r) => [
        r.alg,
        r.server,
        r.load.requestsPerSecond,
        r.load.latencyMs.p50,
        r.load.latencyMs.p99,
        r.load.non2xx,
        r.load.errors + r.load.timeouts,
        r.memory.idleRssMb,
        r.memory.peakRssMb,
        r.cpu.usPerRequest,
      ]),
    ]),
  );
  say('');
  for (const c of comparisons) {
    const ceiling =
      c.ceilingOverPeer === undefined
        ? ''
        : `; bare-node ceiling = ${c.ceilingOverPeer}x oidc-provider, warden at ${Math.round((c.wardenShareOfCeiling ?? 0) * 100)}% of it`;
    say(
      `${c.alg}: warden / oidc-provider = ${c.ratio}x (target ≥ ${c.target}x) ${c.pass ? 'PASS' : 'MISS'}${ceiling}`,
    );
  }
  if (output.wardenMemory) {
    say(
      `warden RSS: idle ${idleRssMb} MB (target ≤ ${TARGET_IDLE_RSS_MB}), peak during load ${peakRssMb} MB ` +
        `(target ≤ ${TARGET_PEAK_RSS_MB}) ${output.wardenMemory.pass ? 'PASS' : 'MISS'}`,
    );
  }
  if (invalid.length > 0) say('INVALID RUN: some requests failed (non-2xx, errors or timeouts)');
  for (const result of results) printProfile(result);
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  if (invalid.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
