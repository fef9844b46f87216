/**
 * API-side token verification: req/s and p99 of `GET /api/dragons` for Express and Fastify, bare,
 * with Warden's verifier, and with each framework's usual JWT middleware (express-jwt + jwks-rsa
 * as in the article; @fastify/jwt), for RS256 and ES256 tokens, warm (one token on every request)
 * and cold (a different token on every request, cycling through `--tokens` signed beforehand).
 * Each case is a fresh server pinned to core 0 (`servers/dragons-api-variants.ts`); autocannon runs
 * pinned to core 1, as does this script and the issuer stub serving the JWKS and the revocation
 * feed. Progress and tables on stderr, one JSON object on stdout. See bench/README.md.
 *
 *   node --import tsx bench/api-verify.ts [--duration 5] [--warmup 2] [--connections 32]
 *     [--variants express-bare,…] [--algs RS256,ES256] [--shapes warm,cold] [--tokens 100000]
 *     [--revocation on|off] [--rounds 1] [--profile]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSessionId, sessionManagerDefaults } from '@warden/session';
import { removeTokenFiles, signTokenFiles } from './lib/access-tokens.js';
import { buildProbes, type ProbeResult, runProbes } from './lib/api-probes.js';
import {
  API_ALGS,
  API_VARIANTS,
  type ApiAlg,
  type ApiVariant,
  bareOf,
  checksTokens,
  readList,
  VARIANT_LABELS,
} from './lib/api-variants.js';
import { type BenchIssuer, startBenchIssuer } from './lib/bench-issuer.js';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';
import { checkPinning, LOAD_CORE, pinSelf } from './lib/pinned-node.js';
import { diffThreadCpu, readThreadCpu } from './lib/proc-cpu.js';
import { sampleMemory } from './lib/proc-memory.js';
import { type LoadResult, runLoad } from './lib/run-load.js';
import { startServer } from './lib/server-process.js';
import {
  findMainThreadProfile,
  formatProfile,
  type ProfileSummary,
  summarizeCpuProfile,
} from './lib/summarize-cpu-profile.js';

const SHAPES = ['warm', 'cold'] as const;
type Shape = (typeof SHAPES)[number];

interface CaseResult {
  variant: ApiVariant;
  alg: ApiAlg;
  shape: Shape;
  round: number;
  probes: ProbeResult[];
  load?: LoadResult;
  /** req/s ÷ the same framework's bare route, same alg and shape. */
  keptOfBare?: number;
  cpu?: { mainMs: number; otherMs: number; usPerRequest: number };
  peakRssMb?: number;
  profile?: ProfileSummary;
}

interface Settings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  revocation: boolean;
  profile: boolean;
}

/**
 * The issue's targets: warm, Warden ÷ bare; cold, Warden ÷ the framework's usual middleware.
 * `bound`: the variant that bounds what any verifier can reach in that case (warm: the bare
 * route; cold: the bare route plus the signature check alone), so `ceiling ÷ peer` says whether
 * the target is reachable on this machine at all.
 */
const TARGETS = [
  { shape: 'warm', warden: 'express-warden', peer: 'express-bare', bound: 'express-bare', atLeast: 0.9 },
  { shape: 'warm', warden: 'fastify-warden', peer: 'fastify-bare', bound: 'fastify-bare', atLeast: 0.9 },
  { shape: 'cold', warden: 'express-warden', peer: 'express-jwt', bound: 'express-floor', atLeast: 2 },
  { shape: 'cold', warden: 'fastify-warden', peer: 'fastify-jwt', bound: 'fastify-floor', atLeast: 1.5 },
] as const;

async function runCase(
  issuer: BenchIssuer,
  variant: ApiVariant,
  alg: ApiAlg,
  shape: Shape,
  round: number,
  tokenFiles: string[],
  settings: Settings,
): Promise<CaseResult> {
  const profileDir = settings.profile
    ? mkdtempSync(join(tmpdir(), `bench-prof-${variant}-${alg}-`))
    : undefined;
  const running = await startServer({
    script: 'servers/dragons-api-variants.ts',
    env: {
      BENCH_VARIANT: variant,
      BENCH_ALG: alg,
      BENCH_ISSUER: issuer.issuer,
      BENCH_AUDIENCE: issuer.audience,
      BENCH_REVOCATION: settings.revocation ? 'on' : 'off',
    },
    cpuProfileDir: profileDir,
  });
  try {
    const probes = await runProbes(running.origin, buildProbes(issuer, alg), variant, settings.revocation);
    const failed = probes.filter((probe) => !probe.ok);
    if (failed.length > 0) {
      say(
        `  ${alg} ${shape} ${variant}: PROBES FAILED, not loaded: ` +
          failed.map((p) => `${p.name} → ${p.status} (expected ${p.expected})`).join('; '),
      );
      return { variant, alg, shape, round, probes };
    }
    const warmToken = shape === 'warm' ? issuer.sign(alg) : undefined;
    const loadStartMs = performance.now() - running.spawnedAt;
    const sampler = sampleMemory(running.pid, 200);
    const cpuBefore = readThreadCpu(running.pid);
    const load = await runLoad({
      url: `${running.origin}/api/dragons`,
      method: 'GET',
      headers: warmToken ? { authorization: `Bearer ${warmToken}` } : {},
      ...(shape === 'cold' && { bearerTokenFiles: tokenFiles }),
      connections: settings.connections,
      pipelining: 1,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
    });
    const cpu = diffThreadCpu(running.pid, cpuBefore, readThreadCpu(running.pid));
    const { peakRssMb } = sampler.stop();
    await running.stop();
    const answered = load.requests + load.warmupRequests;
    const result: CaseResult = {
      variant,
      alg,
      shape,
      round,
      probes,
      load,
      cpu: {
        mainMs: cpu.mainMs,
        otherMs: cpu.otherMs,
        usPerRequest: Math.round(((cpu.mainMs + cpu.otherMs) * 1000) / Math.max(1, answered)),
      },
      peakRssMb,
    };
    const profile = profileDir ? findMainThreadProfile(profileDir) : undefined;
    if (profile) result.profile = summarizeCpuProfile(profile, { skipMs: loadStartMs });
    say(
      `  ${alg} ${shape} ${variant}: ${load.requestsPerSecond} req/s, p99 ${load.latencyMs.p99} ms, ` +
        `non-2xx ${load.non2xx}`,
    );
    return result;
  } finally {
    await running.stop();
  }
}

/** Per (alg, shape, variant): the round with the median req/s (a case whose probes failed counts lowest). */
function medianRuns(results: CaseResult[]): CaseResult[] {
  const groups = new Map<string, CaseResult[]>();
  for (const result of results) {
    const key = `${result.alg} ${result.shape} ${result.variant}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  return [...groups.values()].map((runs) => {
    const sorted = [...runs].sort(
      (a, b) => (a.load?.requestsPerSecond ?? -1) - (b.load?.requestsPerSecond ?? -1),
    );
    return sorted[Math.floor((sorted.length - 1) / 2)]!;
  });
}

function addKeptOfBare(results: CaseResult[]): void {
  for (const result of results) {
    const bare = results.find(
      (r) => r.variant === bareOf(result.variant) && r.alg === result.alg && r.shape === result.shape,
    );
    if (result.load && bare?.load) {
      result.keptOfBare = round(result.load.requestsPerSecond / bare.load.requestsPerSecond, 3);
    }
  }
}

/**
 * The targets by req/s, and the same ratio from the server's CPU time per request (peer µs ÷
 * Warden µs): what the ratio would be if each server had the core to itself, steadier than req/s
 * when other work shares the core.
 */
function compareTargets(results: CaseResult[], algs: ApiAlg[]) {
  const find = (variant: ApiVariant, alg: ApiAlg, shape: Shape) =>
    results.find((r) => r.variant === variant && r.alg === alg && r.shape === shape);
  return algs.flatMap((alg) =>
    TARGETS.flatMap((target) => {
      const warden = find(target.warden, alg, target.shape);
      const peer = find(target.peer, alg, target.shape);
      if (!warden?.load || !peer?.load || !warden.cpu || !peer.cpu) return [];
      const ratio = round(warden.load.requestsPerSecond / peer.load.requestsPerSecond, 2);
      const cpuRatio = round(peer.cpu.usPerRequest / warden.cpu.usPerRequest, 2);
      const floor = find(target.bound, alg, target.shape);
      const ceiling =
        floor?.load && floor.cpu
          ? {
              ratio: round(floor.load.requestsPerSecond / peer.load.requestsPerSecond, 2),
              cpuRatio: round(peer.cpu.usPerRequest / floor.cpu.usPerRequest, 2),
            }
          : undefined;
      return [{ alg, ...target, ratio, pass: ratio >= target.atLeast, cpuRatio, ceiling }];
    }),
  );
}

/** The issue's "JWT size" concern: what each request carries with a token, against a session cookie. */
function tokenSizes(issuer: BenchIssuer, algs: ApiAlg[]) {
  const cookie = `Cookie: ${sessionManagerDefaults.cookieName}=${createSessionId()}`;
  return {
    sessionCookieHeaderBytes: Buffer.byteLength(cookie),
    tokens: algs.map((alg) => {
      const token = issuer.sign(alg);
      return {
        alg,
        tokenBytes: token.length,
        authorizationHeaderBytes: Buffer.byteLength(`Authorization: Bearer ${token}`),
      };
    }),
  };
}

function printProfile(result: CaseResult): void {
  if (result.profile) say(formatProfile(`${result.variant} ${result.alg} ${result.shape}`, result.profile));
}

/** Status per probe and variant (the first case of each), and which refusals were not 401. */
function printProbes(
  results: CaseResult[],
  algs: ApiAlg[],
  variants: ApiVariant[],
  revocation: boolean,
): void {
  for (const alg of algs) {
    const cases = variants.flatMap(
      (variant) => results.find((r) => r.variant === variant && r.alg === alg) ?? [],
    );
    const names = cases[0]?.probes.map((probe) => probe.name) ?? [];
    say('');
    say(`${alg} probes before each load (status per server; revocation ${revocation ? 'on' : 'off'}):`);
    say(
      formatTable([
        ['probe', ...cases.map((c) => c.variant)],
        ...names.map((name, i) => [
          name,
          ...cases.map((c) => {
            const probe = c.probes[i];
            return probe ? `${probe.status}${probe.ok ? '' : ' (!)'}` : '';
          }),
        ]),
      ]),
    );
  }
  const odd = results.flatMap((r) =>
    r.probes
      .filter((probe) => probe.ok && probe.expected === 401 && probe.status !== 401)
      .map((probe) => `${r.alg} ${r.variant}: ${probe.name} → ${probe.status}`),
  );
  if (odd.length > 0) say(`refused, but not with 401: ${[...new Set(odd)].join('; ')}`);
}

function printResults(results: CaseResult[]): void {
  say('');
  say(
    formatTable([
      [
        'alg',
        'shape',
        'server',
        'req/s',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'errors',
        '% of bare',
        'CPU µs/req',
        'peak RSS MB',
        'tokens sent / distinct',
      ],
      ...results.map((r) => [
        r.alg,
        r.shape,
        VARIANT_LABELS[r.variant],
        r.load?.requestsPerSecond ?? 'probes failed',
        r.load?.latencyMs.p50 ?? '',
        r.load?.latencyMs.p99 ?? '',
        r.load?.non2xx ?? '',
        r.load ? r.load.errors + r.load.timeouts : '',
        r.keptOfBare === undefined ? '' : `${Math.round(r.keptOfBare * 100)} %`,
        r.cpu?.usPerRequest ?? '',
        r.peakRssMb ?? '',
        r.load?.tokens ? `${r.load.tokens.sent} / ${r.load.tokens.distinct}` : '1',
      ]),
    ]),
  );
}

async function main(): Promise<void> {
  const args = readArgs(
    {
      connections: { default: 32, min: 1, max: 256 },
      rounds: { default: 1, min: 1, max: 5 },
      tokens: { default: 100_000, min: 1000, max: 1_000_000 },
    },
    { variants: API_VARIANTS.join(','), algs: API_ALGS.join(','), shapes: 'warm,cold', revocation: 'on' },
    { durationSeconds: 5, warmupSeconds: 2 },
  );
  const variants = readList(args.strings.variants ?? '', API_VARIANTS, 'variants');
  const algs = readList(args.strings.algs ?? '', API_ALGS, 'algs');
  const shapes = readList(args.strings.shapes ?? '', SHAPES, 'shapes');
  if (args.strings.revocation !== 'on' && args.strings.revocation !== 'off') {
    throw new TypeError('--revocation must be on or off');
  }
  const settings: Settings = {
    durationSeconds: args.durationSeconds,
    warmupSeconds: args.warmupSeconds,
    connections: args.connections,
    revocation: args.strings.revocation === 'on',
    profile: args.profile,
  };
  checkPinning();
  const loadBefore = loadavg();
  const issuer = await startBenchIssuer();
  const tokenDir = mkdtempSync(join(tmpdir(), 'bench-api-tokens-'));
  const tokenFiles = new Map<ApiAlg, string[]>();
  try {
    if (shapes.includes('cold')) {
      for (const alg of algs) {
        const started = performance.now();
        const files = await signTokenFiles({
          privateJwk: issuer.keys[alg].privateJwk,
          issuer: issuer.issuer,
          audience: issuer.audience,
          count: args.tokens,
          filePrefix: join(tokenDir, alg),
        });
        tokenFiles.set(alg, files);
        say(
          `signed ${args.tokens} ${alg} access tokens in ${round((performance.now() - started) / 1000, 1)} s`,
        );
      }
    }
    // Signing used both cores; from here on this process (and the issuer stub in it) stays on core 1.
    pinSelf(LOAD_CORE);
    say(
      `api verify: GET /api/dragons, ${settings.connections} connections, pipelining 1, ` +
        `${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per case, revocation ` +
        `${settings.revocation ? 'on (static feed)' : 'off'}; server on core 0, autocannon on core 1`,
    );
    const allRuns: CaseResult[] = [];
    for (let round = 1; round <= args.rounds; round += 1) {
      // Alternate the order between rounds, so drift on the machine does not favour one server.
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const alg of algs) {
        for (const shape of shapes) {
          for (const variant of order) {
            const files = tokenFiles.get(alg) ?? [];
            allRuns.push(await runCase(issuer, variant, alg, shape, round, files, settings));
          }
        }
      }
    }
    const results = medianRuns(allRuns);
    addKeptOfBare(results);
    const comparisons = compareTargets(results, algs);
    const sizes = tokenSizes(issuer, algs);
    const invalid = allRuns.filter(
      (r) =>
        !r.load ||
        r.load.non2xx > 0 ||
        r.load.errors > 0 ||
        r.load.timeouts > 0 ||
        r.probes.some((probe) => !probe.ok),
    );
    const repeated = results.filter(
      (r) => checksTokens(r.variant) && r.load?.tokens && r.load.tokens.sent > r.load.tokens.distinct,
    );
    printResults(results);
    say('');
    for (const c of comparisons) {
      say(
        `${c.alg} ${c.shape}: ${VARIANT_LABELS[c.warden]} ÷ ${VARIANT_LABELS[c.peer]} = ${c.ratio} ` +
          `(target ≥ ${c.atLeast}) ${c.pass ? 'PASS' : 'MISS'}; by CPU µs per request ${c.cpuRatio}` +
          (c.ceiling && c.peer !== c.bound
            ? `; ceiling (${VARIANT_LABELS[c.bound]} ÷ peer) ${c.ceiling.ratio}, by CPU ${c.ceiling.cpuRatio}`
            : ''),
      );
    }
    say('');
    say(`token sizes: a session cookie header is ${sizes.sessionCookieHeaderBytes} bytes;`);
    for (const t of sizes.tokens) {
      say(
        `  ${t.alg}: token ${t.tokenBytes} bytes, Authorization header ${t.authorizationHeaderBytes} bytes`,
      );
    }
    printProbes(results, algs, variants, settings.revocation);
    if (repeated.length > 0) {
      say(
        `note: ${repeated.length} cold case(s) sent more requests than there are tokens; tokens came ` +
          `round again only after ${args.tokens} others (Warden's cache holds 10,000)`,
      );
    }
    if (invalid.length > 0)
      say('INVALID RUN: a probe failed or some requests failed (non-2xx, errors, timeouts)');
    for (const result of allRuns) printProfile(result);
    const output = {
      scenario: 'api-verify',
      date: new Date().toISOString(),
      machine: machineReport(loadBefore),
      settings: {
        ...settings,
        pipelining: 1,
        tokens: args.tokens,
        variants,
        algs,
        shapes,
        rounds: args.rounds,
      },
      /** Requests the issuer stub answered: JWKS fetches and revocation feed connections. */
      issuerRequests: issuer.counts(),
      /** Per (alg, shape, variant): the round with the median req/s. */
      results: results.map(({ profile, ...rest }) => rest),
      allRuns: allRuns.map((r) => ({
        alg: r.alg,
        shape: r.shape,
        variant: r.variant,
        round: r.round,
        rps: r.load?.requestsPerSecond,
        usPerRequest: r.cpu?.usPerRequest,
      })),
      comparisons,
      tokenSizes: sizes,
      valid: invalid.length === 0,
      ...(settings.profile ? { profiles: allRuns.map((r) => r.profile) } : {}),
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    if (invalid.length > 0) process.exitCode = 1;
  } finally {
    removeTokenFiles([...tokenFiles.values()].flat());
    rmSync(tokenDir, { recursive: true, force: true });
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
