/**
 * Memory soak of the API verifier: Express + Warden (`servers/dragons-api-variants.ts`,
 * `express-warden`) pinned to core 0 under a cold-token load (a different token on every
 * request, cycling through `--tokens` signed beforehand) from autocannon pinned to core 1 for
 * `--minutes`. Every `--interval` seconds it reads the server's VmRSS from /proc and its heap and
 * verifier status from `GET /bench/status`. Prints the series, first / last / max, and whether
 * RSS stayed within 10 % of its one-minute reading from then on (the first minute is warm-up).
 * Progress and tables on stderr, one JSON object on stdout. See bench/README.md.
 *
 *   node --import tsx bench/api-memory.ts [--minutes 10] [--interval 10] [--connections 32]
 *     [--tokens 100000] [--alg RS256] [--revocation on|off]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { removeTokenFiles, signTokenFiles } from './lib/access-tokens.js';
import { buildProbes, runProbes } from './lib/api-probes.js';
import { API_ALGS, type ApiAlg } from './lib/api-variants.js';
import { startBenchIssuer } from './lib/bench-issuer.js';
import { formatTable, machineReport, round, say } from './lib/bench-report.js';
import { checkPinning, LOAD_CORE, pinSelf } from './lib/pinned-node.js';
import { readMemory } from './lib/proc-memory.js';
import { type LoadResult, runLoad } from './lib/run-load.js';
import { startServer } from './lib/server-process.js';

/** RSS may move this much (either way) from its one-minute reading and still count as flat. */
const FLAT_WITHIN = 0.1;
/** Readings before this many seconds of load are warm-up. */
const WARMUP_SECONDS = 60;

interface Sample {
  /** Seconds since the load started (0: idle, just before it). */
  t: number;
  rssMb: number;
  heapUsedMb?: number;
  externalMb?: number;
  cachedTokens?: number;
  revocationLastSeq?: number;
}

interface ServerStatus {
  heapUsedMb: number;
  externalMb: number;
  verifier: { cachedTokens: number; revocation: { lastSeq: number } | null } | null;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      interval: { type: 'string', default: '10' },
      connections: { type: 'string', default: '32' },
      tokens: { type: 'string', default: '100000' },
      alg: { type: 'string', default: 'RS256' },
      revocation: { type: 'string', default: 'on' },
    },
    strict: true,
  });
  const number = (name: keyof typeof values, min: number, max: number) => {
    const value = Number(values[name]);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new TypeError(`--${name} must be a number from ${min} to ${max}`);
    }
    return value;
  };
  const alg = values.alg as ApiAlg;
  if (!API_ALGS.includes(alg)) throw new TypeError(`--alg: one of ${API_ALGS.join(', ')}`);
  if (values.revocation !== 'on' && values.revocation !== 'off') {
    throw new TypeError('--revocation must be on or off');
  }
  return {
    minutes: number('minutes', 1, 60),
    intervalSeconds: number('interval', 1, 60),
    connections: number('connections', 1, 256),
    tokens: number('tokens', 1000, 1_000_000),
    alg,
    revocation: values.revocation === 'on',
  };
}

async function takeSample(pid: number, origin: string, t: number): Promise<Sample | undefined> {
  const memory = readMemory(pid);
  if (!memory) return undefined;
  const sample: Sample = { t, rssMb: memory.rssMb };
  try {
    const status = (await (await fetch(`${origin}/bench/status`)).json()) as ServerStatus;
    sample.heapUsedMb = status.heapUsedMb;
    sample.externalMb = status.externalMb;
    if (status.verifier) sample.cachedTokens = status.verifier.cachedTokens;
    if (status.verifier?.revocation) sample.revocationLastSeq = status.verifier.revocation.lastSeq;
  } catch {
    // the RSS reading alone is the measurement; the status is a help to read it
  }
  return sample;
}

/** First / last / max under load, and whether RSS stayed near its one-minute reading afterwards. */
function judge(samples: Sample[]) {
  const loaded = samples.filter((s) => s.t > 0);
  const reference = loaded.find((s) => s.t >= WARMUP_SECONDS);
  const after = reference ? loaded.filter((s) => s.t >= reference.t) : [];
  const rss = after.map((s) => s.rssMb);
  const low = rss.length > 0 ? Math.min(...rss) : Number.NaN;
  const high = rss.length > 0 ? Math.max(...rss) : Number.NaN;
  return {
    idleRssMb: samples.find((s) => s.t === 0)?.rssMb,
    firstRssMb: loaded[0]?.rssMb,
    lastRssMb: loaded.at(-1)?.rssMb,
    maxRssMb: loaded.length > 0 ? Math.max(...loaded.map((s) => s.rssMb)) : undefined,
    referenceT: reference?.t,
    referenceRssMb: reference?.rssMb,
    afterWarmup: reference
      ? {
          minRssMb: low,
          maxRssMb: high,
          /** (max − min) ÷ the one-minute reading. */
          spread: round((high - low) / reference.rssMb, 3),
          /** last ÷ the one-minute reading − 1. */
          drift: round((loaded.at(-1)!.rssMb - reference.rssMb) / reference.rssMb, 3),
          flat: rss.every((value) => Math.abs(value - reference.rssMb) <= FLAT_WITHIN * reference.rssMb),
        }
      : undefined,
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  checkPinning();
  const loadBefore = loadavg();
  const issuer = await startBenchIssuer();
  const tokenDir = mkdtempSync(join(tmpdir(), 'bench-api-tokens-'));
  let files: string[] = [];
  try {
    const signing = performance.now();
    files = await signTokenFiles({
      privateJwk: issuer.keys[options.alg].privateJwk,
      issuer: issuer.issuer,
      audience: issuer.audience,
      count: options.tokens,
      filePrefix: join(tokenDir, options.alg),
    });
    say(
      `signed ${options.tokens} ${options.alg} access tokens in ` +
        `${round((performance.now() - signing) / 1000, 1)} s`,
    );
    pinSelf(LOAD_CORE);
    const running = await startServer({
      script: 'servers/dragons-api-variants.ts',
      env: {
        BENCH_VARIANT: 'express-warden',
        BENCH_ALG: options.alg,
        BENCH_ISSUER: issuer.issuer,
        BENCH_AUDIENCE: issuer.audience,
        BENCH_REVOCATION: options.revocation ? 'on' : 'off',
      },
    });
    const samples: Sample[] = [];
    let load: LoadResult;
    try {
      const probes = await runProbes(
        running.origin,
        buildProbes(issuer, options.alg),
        'express-warden',
        options.revocation,
      );
      const failed = probes.filter((probe) => !probe.ok);
      if (failed.length > 0) throw new Error(`probes failed: ${failed.map((p) => p.name).join(', ')}`);
      const idle = await takeSample(running.pid, running.origin, 0);
      if (idle) samples.push(idle);
      say(
        `api memory: Express + Warden, ${options.alg}, cold tokens (${options.tokens} distinct), ` +
          `${options.connections} connections, ${options.minutes} min, RSS every ${options.intervalSeconds} s; ` +
          `revocation ${options.revocation ? 'on (static feed)' : 'off'}`,
      );
      const started = performance.now();
      const timer = setInterval(() => {
        const t = Math.round((performance.now() - started) / 1000);
        void takeSample(running.pid, running.origin, t).then((sample) => {
          if (!sample) return;
          samples.push(sample);
          say(
            `  ${String(t).padStart(4)} s  RSS ${sample.rssMb} MB  heap ${sample.heapUsedMb ?? '?'} MB  ` +
              `cached tokens ${sample.cachedTokens ?? '?'}`,
          );
        });
      }, options.intervalSeconds * 1000);
      try {
        load = await runLoad(
          {
            url: `${running.origin}/api/dragons`,
            method: 'GET',
            headers: {},
            bearerTokenFiles: files,
            connections: options.connections,
            pipelining: 1,
            warmupSeconds: 0,
            durationSeconds: options.minutes * 60,
          },
          3600,
        );
      } finally {
        clearInterval(timer);
      }
    } finally {
      await running.stop();
    }
    samples.sort((a, b) => a.t - b.t);
    const verdict = judge(samples);
    say('');
    say(
      formatTable([
        ['t s', 'RSS MB', 'heap used MB', 'external MB', 'cached tokens', 'revocation seq'],
        ...samples.map((s) => [
          s.t,
          s.rssMb,
          s.heapUsedMb ?? '',
          s.externalMb ?? '',
          s.cachedTokens ?? '',
          s.revocationLastSeq ?? '',
        ]),
      ]),
    );
    say('');
    say(
      `load: ${load.requestsPerSecond} req/s, p99 ${load.latencyMs.p99} ms, ${load.requests} requests, ` +
        `non-2xx ${load.non2xx}, errors ${load.errors + load.timeouts}; tokens sent ${load.tokens?.sent} ` +
        `(${load.tokens?.distinct} distinct)`,
    );
    say(
      `RSS: idle ${verdict.idleRssMb} MB, first under load ${verdict.firstRssMb} MB, last ${verdict.lastRssMb} MB, ` +
        `max ${verdict.maxRssMb} MB`,
    );
    const after = verdict.afterWarmup;
    if (after) {
      say(
        `from ${verdict.referenceT} s on (reference ${verdict.referenceRssMb} MB): ${after.minRssMb}–${after.maxRssMb} MB, ` +
          `spread ${round(after.spread * 100, 1)} %, drift ${round(after.drift * 100, 1)} % → ` +
          `${after.flat ? 'FLAT (within 10 %)' : 'NOT FLAT (moved more than 10 %)'}`,
      );
    } else {
      say('the run was shorter than the one-minute warm-up: no verdict');
    }
    const valid = load.non2xx === 0 && load.errors === 0 && load.timeouts === 0;
    if (!valid) say('INVALID RUN: some requests failed (non-2xx, errors or timeouts)');
    const output = {
      scenario: 'api-memory',
      date: new Date().toISOString(),
      machine: machineReport(loadBefore),
      settings: { ...options, server: 'express-warden', shape: 'cold', flatWithin: FLAT_WITHIN },
      load,
      samples,
      verdict,
      valid,
    };
    process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    if (!valid) process.exitCode = 1;
  } finally {
    removeTokenFiles(files);
    rmSync(tokenDir, { recursive: true, force: true });
    await issuer.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
