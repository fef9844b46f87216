/**
 * The article's Performance section, measured: `GET /api/dragons` on Express 5, one core, with the
 * caller known by a bearer JWT (Warden, RS256 and ES256), by a Warden session cookie (SQLite,
 * Redis, PostgreSQL stores) or by express-session + connect-redis, against bare Express; req/s,
 * p99 and the bytes the credential adds to every request, all in one run. One session (or token)
 * is reused by every request, as a signed-in client does. Each case is a fresh server pinned to
 * core 0 (`servers/session-api-variants.ts`); autocannon, this script and the JWKS stub run on
 * core 1. Redis and PostgreSQL cases need REDIS_URL / DATABASE_URL and are skipped without them.
 * Progress and tables on stderr, one JSON object on stdout. See bench/README.md.
 *
 *   node --import tsx bench/cookies-vs-tokens.ts [--duration 5] [--warmup 2] [--connections 32]
 *     [--rounds 1] [--variants express-bare,…] [--profile]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readList } from './lib/api-variants.js';
import { type BenchIssuer, startBenchIssuer } from './lib/bench-issuer.js';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';
import { checkPinning, LOAD_CORE, pinSelf } from './lib/pinned-node.js';
import { type LoadResult, runLoad } from './lib/run-load.js';
import { startServer } from './lib/server-process.js';
import {
  SESSION_VARIANT_LABELS,
  SESSION_VARIANTS,
  type SessionVariant,
  serviceOf,
} from './lib/session-variants.js';
import {
  findMainThreadProfile,
  formatProfile,
  type ProfileSummary,
  summarizeCpuProfile,
} from './lib/summarize-cpu-profile.js';

interface CaseResult {
  variant: SessionVariant;
  round: number;
  /** The header that carries the credential, and its bytes on the wire (`name: value\r\n`). */
  credential: { header: string; bytes: number } | null;
  /** A request without the credential was refused (401); the bare server is exempt. */
  refusedWithout: boolean;
  load: LoadResult;
  keptOfBare?: number;
  profile?: ProfileSummary;
}

/** The issue's target: Warden's Redis session path ÷ express-session + connect-redis. */
const TARGET = { warden: 'session-redis', peer: 'express-session-redis', atLeast: 1.5 } as const;

function skipReason(variant: SessionVariant): string | undefined {
  const service = serviceOf(variant);
  if (service === 'redis' && !process.env.REDIS_URL) return 'REDIS_URL is not set';
  if (service === 'postgres' && !process.env.DATABASE_URL) return 'DATABASE_URL is not set';
  return undefined;
}

/** The credential a signed-in client of `variant` sends: a bearer token, or the cookie `/bench/login` set. */
async function credentialFor(
  variant: SessionVariant,
  origin: string,
  issuer: BenchIssuer,
): Promise<{ header: string; value: string } | null> {
  if (variant === 'express-bare') return null;
  if (variant === 'bearer-rs256') return { header: 'authorization', value: `Bearer ${issuer.sign('RS256')}` };
  if (variant === 'bearer-es256') return { header: 'authorization', value: `Bearer ${issuer.sign('ES256')}` };
  const response = await fetch(`${origin}/bench/login`);
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!response.ok || !cookie) throw new Error(`${variant}: /bench/login set no cookie (${response.status})`);
  return { header: 'cookie', value: cookie };
}

async function runCase(
  issuer: BenchIssuer,
  variant: SessionVariant,
  roundNumber: number,
  settings: { durationSeconds: number; warmupSeconds: number; connections: number; profile: boolean },
  prefix: string,
): Promise<CaseResult> {
  const profileDir = settings.profile ? mkdtempSync(join(tmpdir(), `bench-prof-${variant}-`)) : undefined;
  const server = await startServer({
    cpuProfileDir: profileDir,
    script: 'servers/session-api-variants.ts',
    env: {
      ...process.env,
      BENCH_VARIANT: variant,
      BENCH_ISSUER: issuer.issuer,
      BENCH_AUDIENCE: issuer.audience,
      BENCH_TOKEN: issuer.sign('RS256', { sub: 'bench-user' }),
      BENCH_PREFIX: `${prefix}_${variant.replaceAll('-', '_')}`,
    },
  });
  try {
    const credential = await credentialFor(variant, server.origin, issuer);
    const headers: Record<string, string> = credential ? { [credential.header]: credential.value } : {};
    const url = `${server.origin}/api/dragons`;
    const withIt = await fetch(url, { headers });
    if (withIt.status !== 200) throw new Error(`${variant}: a signed-in request got ${withIt.status}`);
    const without = await fetch(url);
    const refusedWithout = variant === 'express-bare' || without.status === 401;
    const loadStartMs = performance.now() - server.spawnedAt;
    const load = await runLoad({
      url,
      method: 'GET',
      headers,
      connections: settings.connections,
      pipelining: 1,
      warmupSeconds: settings.warmupSeconds,
      durationSeconds: settings.durationSeconds,
    });
    say(
      `${SESSION_VARIANT_LABELS[variant].padEnd(36)} round ${roundNumber}: ${Math.round(load.requestsPerSecond)} req/s, ` +
        `p99 ${load.latencyMs.p99} ms${load.non2xx ? `, ${load.non2xx} non-2xx` : ''}`,
    );
    await server.stop();
    const profileFile = profileDir ? findMainThreadProfile(profileDir) : undefined;
    return {
      variant,
      round: roundNumber,
      ...(profileFile && { profile: summarizeCpuProfile(profileFile, { skipMs: loadStartMs }) }),
      credential: credential
        ? {
            header: credential.header,
            bytes: Buffer.byteLength(`${credential.header}: ${credential.value}\r\n`),
          }
        : null,
      refusedWithout,
      load,
    };
  } finally {
    await server.stop();
  }
}

/** Per variant, the run with the median req/s. */
function medianRuns(runs: CaseResult[]): CaseResult[] {
  const byVariant = new Map<SessionVariant, CaseResult[]>();
  for (const run of runs) byVariant.set(run.variant, [...(byVariant.get(run.variant) ?? []), run]);
  return [...byVariant.values()].map((list) => {
    const sorted = [...list].sort((a, b) => a.load.requestsPerSecond - b.load.requestsPerSecond);
    return sorted[Math.floor(sorted.length / 2)]!;
  });
}

async function main(): Promise<void> {
  const args = readArgs(
    { connections: { default: 32, min: 1, max: 256 }, rounds: { default: 1, min: 1, max: 5 } },
    { variants: SESSION_VARIANTS.join(',') },
    { durationSeconds: 5, warmupSeconds: 2 },
  );
  const variants = readList(args.strings.variants ?? '', SESSION_VARIANTS, 'variants');
  const settings = {
    durationSeconds: args.durationSeconds,
    warmupSeconds: args.warmupSeconds,
    connections: args.connections,
    profile: args.profile,
  };
  checkPinning();
  const loadBefore = loadavg();
  pinSelf(LOAD_CORE);
  const issuer = await startBenchIssuer();
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const skipped = variants.flatMap((variant) => {
    const reason = skipReason(variant);
    return reason ? [{ variant, reason }] : [];
  });
  for (const { variant, reason } of skipped) say(`skipping ${variant}: ${reason}`);
  const run = variants.filter((variant) => !skipReason(variant));
  say(
    `cookies vs tokens: GET /api/dragons on Express 5, ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per case; server on core 0, autocannon on core 1`,
  );
  try {
    const allRuns: CaseResult[] = [];
    for (let roundNumber = 1; roundNumber <= args.rounds; roundNumber += 1) {
      const order = roundNumber % 2 === 1 ? run : [...run].reverse();
      for (const variant of order)
        allRuns.push(await runCase(issuer, variant, roundNumber, settings, prefix));
    }
    const results = medianRuns(allRuns);
    const bare = results.find((r) => r.variant === 'express-bare')?.load.requestsPerSecond;
    for (const result of results) {
      if (bare) result.keptOfBare = round(result.load.requestsPerSecond / bare);
    }
    say('');
    say(
      formatTable([
        ['variant', 'req/s', 'p99 ms', 'of bare', 'credential bytes/request'],
        ...results.map((r) => [
          SESSION_VARIANT_LABELS[r.variant],
          Math.round(r.load.requestsPerSecond),
          r.load.latencyMs.p99,
          r.keptOfBare ?? '',
          r.credential ? `${r.credential.bytes} (${r.credential.header})` : '0',
        ]),
      ]),
    );
    const warden = results.find((r) => r.variant === TARGET.warden);
    const peer = results.find((r) => r.variant === TARGET.peer);
    const ratio = warden && peer ? round(warden.load.requestsPerSecond / peer.load.requestsPerSecond) : null;
    say('');
    if (ratio !== null) {
      say(
        `${SESSION_VARIANT_LABELS[TARGET.warden]} ÷ ${SESSION_VARIANT_LABELS[TARGET.peer]} = ${ratio} ` +
          `(target ≥ ${TARGET.atLeast}) ${ratio >= TARGET.atLeast ? 'PASS' : 'MISS'}`,
      );
    }
    const invalid = allRuns.filter(
      (r) => r.load.non2xx > 0 || r.load.errors > 0 || r.load.timeouts > 0 || !r.refusedWithout,
    );
    if (invalid.length > 0) say('INVALID RUN: a case let an anonymous request through, or requests failed');
    for (const result of allRuns) {
      if (result.profile) say(formatProfile(`${result.variant} round ${result.round}`, result.profile));
    }
    process.stdout.write(
      `${JSON.stringify(
        {
          scenario: 'cookies-vs-tokens',
          date: new Date().toISOString(),
          machine: machineReport(loadBefore),
          settings: { ...settings, pipelining: 1, rounds: args.rounds, variants: run, skipped },
          results: results.map((r) => ({
            variant: r.variant,
            label: SESSION_VARIANT_LABELS[r.variant],
            requestsPerSecond: Math.round(r.load.requestsPerSecond),
            latencyMs: r.load.latencyMs,
            keptOfBare: r.keptOfBare ?? null,
            credential: r.credential,
          })),
          target: { ...TARGET, ratio, pass: ratio === null ? null : ratio >= TARGET.atLeast },
          valid: invalid.length === 0,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
