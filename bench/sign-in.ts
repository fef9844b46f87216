/**
 * Sign-in throughput on one core: the Warden idp pinned to core 0, virtual users doing the whole
 * browser flow (authorize, login page, login form, code) from a process pinned to core 1. The
 * same-run peer is the raw argon2id verification rate of one process on core 0 with Warden's
 * parameters: each login costs one verification, so logins/s ÷ verifications/s near 1 means the
 * rest of the flow is negligible. Prints progress and a table on stderr and one JSON object on
 * stdout. See bench/README.md.
 *
 *   node --import tsx bench/sign-in.ts [--duration 10] [--warmup 3] [--users 8] [--profile]
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Argon2Rate, Argon2RateOptions } from './lib/argon2-rate.js';
import { formatTable, machineReport, readArgs, round, say, sleep } from './lib/bench-report.js';
import {
  benchFile,
  checkPinning,
  LOAD_CORE,
  pinSelf,
  runPinnedJson,
  SERVER_CORE,
} from './lib/pinned-node.js';
import { diffThreadCpu, readThreadCpu } from './lib/proc-cpu.js';
import { readMemory, sampleMemory } from './lib/proc-memory.js';
import { type ReadyLine, startServer } from './lib/server-process.js';
import type { SignInLoadOptions, SignInLoadResult } from './lib/sign-in-users.js';
import {
  findMainThreadProfile,
  type ProfileSummary,
  summarizeCpuProfile,
} from './lib/summarize-cpu-profile.js';

interface SignInServerInfo extends ReadyLine {
  spa_client_id: string;
  redirect_uri: string;
  users: { login: string; password: string }[];
}

const TARGET_LOGINS_PER_SECOND = 65;

function measureArgon2(options: Argon2RateOptions): Promise<Argon2Rate> {
  return runPinnedJson<Argon2Rate>({
    core: SERVER_CORE,
    script: benchFile('lib/argon2-rate.ts'),
    args: [JSON.stringify(options)],
  });
}

async function measureSignIn(args: {
  durationSeconds: number;
  warmupSeconds: number;
  users: number;
  profile: boolean;
}) {
  const profileDir = args.profile ? mkdtempSync(join(tmpdir(), 'bench-prof-warden-sign-in-')) : undefined;
  const running = await startServer<SignInServerInfo>({
    script: 'servers/warden-idp.ts',
    env: { BENCH_USERS: String(args.users) },
    cpuProfileDir: profileDir,
  });
  try {
    await sleep(3000);
    const idle = readMemory(running.pid);
    const loadStartMs = performance.now() - running.spawnedAt;
    const sampler = sampleMemory(running.pid, 200);
    const cpuBefore = readThreadCpu(running.pid);
    const load = await runPinnedJson<SignInLoadResult>({
      core: LOAD_CORE,
      script: benchFile('lib/sign-in-users.ts'),
      args: [
        JSON.stringify({
          origin: running.origin,
          clientId: running.info.spa_client_id,
          redirectUri: running.info.redirect_uri,
          users: running.info.users,
          virtualUsers: args.users,
          warmupSeconds: args.warmupSeconds,
          durationSeconds: args.durationSeconds,
        } satisfies SignInLoadOptions),
      ],
    });
    const cpu = diffThreadCpu(running.pid, cpuBefore, readThreadCpu(running.pid));
    const peakRssMb = sampler.stop().peakRssMb;
    await running.stop();
    const profileFile = profileDir ? findMainThreadProfile(profileDir) : undefined;
    const profile: ProfileSummary | undefined = profileFile
      ? summarizeCpuProfile(profileFile, { skipMs: loadStartMs })
      : undefined;
    const perLogin = (ms: number) => round(ms / Math.max(1, load.attempts), 1);
    return {
      load,
      memory: { idleRssMb: idle?.rssMb ?? Number.NaN, peakRssMb },
      cpu: { ...cpu, mainMsPerLogin: perLogin(cpu.mainMs), otherMsPerLogin: perLogin(cpu.otherMs) },
      profile,
    };
  } finally {
    await running.stop();
  }
}

async function main(): Promise<void> {
  const args = readArgs({ users: { default: 8, min: 1, max: 64 } });
  checkPinning();
  pinSelf(LOAD_CORE);
  const loadBefore = loadavg();
  say(
    `sign-in: ${args.users} virtual users, ${args.warmupSeconds} s warm-up + ${args.durationSeconds} s; ` +
      'idp and argon2 peer on core 0, users on core 1',
  );
  const signIn = await measureSignIn(args);
  say(`  warden: ${signIn.load.loginsPerSecond} logins/s`);
  const argonWarmup = Math.min(args.warmupSeconds, 2);
  const single = await measureArgon2({
    concurrency: 1,
    warmupSeconds: argonWarmup,
    durationSeconds: args.durationSeconds,
  });
  say(`  argon2id verify, 1 at a time: ${single.verifiesPerSecond}/s`);
  const concurrent = await measureArgon2({
    concurrency: args.users,
    warmupSeconds: argonWarmup,
    durationSeconds: args.durationSeconds,
  });
  say(`  argon2id verify, ${args.users} at a time: ${concurrent.verifiesPerSecond}/s`);
  const peer = Math.max(single.verifiesPerSecond, concurrent.verifiesPerSecond);
  const ratio = round(signIn.load.loginsPerSecond / peer);
  const valid = signIn.load.errors === 0;
  const output = {
    scenario: 'sign-in',
    date: new Date().toISOString(),
    machine: machineReport(loadBefore),
    settings: {
      virtualUsers: args.users,
      warmupSeconds: args.warmupSeconds,
      durationSeconds: args.durationSeconds,
    },
    warden: { ...signIn.load, memory: signIn.memory, cpu: signIn.cpu },
    argon2: { parameters: { m: 19456, t: 2, p: 1 }, single, concurrent },
    ratio,
    targets: {
      loginsPerSecond: TARGET_LOGINS_PER_SECOND,
      pass: signIn.load.loginsPerSecond >= TARGET_LOGINS_PER_SECOND,
      ratioNote: 'logins/s ÷ best argon2id verifies/s; 1 means everything but the hash is negligible',
    },
    valid,
    ...(signIn.profile ? { profile: signIn.profile } : {}),
  };
  say('');
  say(
    formatTable([
      ['measure', 'per second', 'p50 ms', 'p99 ms', 'errors'],
      [
        `warden sign-in (${args.users} users)`,
        signIn.load.loginsPerSecond,
        signIn.load.latencyMs.p50,
        signIn.load.latencyMs.p99,
        signIn.load.errors,
      ],
      ['argon2id verify, 1 at a time', single.verifiesPerSecond, '', '', ''],
      [`argon2id verify, ${args.users} at a time`, concurrent.verifiesPerSecond, '', '', ''],
    ]),
  );
  say('');
  say(
    `idp CPU per login (warm-up + run): main thread ${signIn.cpu.mainMsPerLogin} ms, ` +
      `other threads (argon2 pool, GC) ${signIn.cpu.otherMsPerLogin} ms`,
  );
  say(`logins/s ÷ argon2id verifies/s = ${ratio} (1 = only the hash costs)`);
  say(
    `sign-in: ${signIn.load.loginsPerSecond} logins/s (target ≥ ${TARGET_LOGINS_PER_SECOND}) ` +
      `${output.targets.pass ? 'PASS' : 'MISS'}; idp RSS idle ${signIn.memory.idleRssMb} MB, peak ${signIn.memory.peakRssMb} MB`,
  );
  if (!valid) say(`INVALID RUN: ${signIn.load.errors} logins failed; first: ${signIn.load.firstError}`);
  if (signIn.profile) {
    const { file, busyMs, idleMs } = signIn.profile;
    say(`\nCPU profile of the idp during the load (${file}): ${busyMs} ms busy, ${idleMs} ms idle`);
    say(formatTable(signIn.profile.byOrigin.map((entry) => [`${entry.percent}%`, entry.name])));
    say('');
    say(formatTable(signIn.profile.topFunctions.map((e) => [`${e.percent}%`, `${e.ms} ms`, e.name])));
    say('');
    say(formatTable(signIn.profile.inclusiveWorkspace.map((e) => [`${e.percent}%`, `${e.ms} ms`, e.name])));
  }
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  if (!valid) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
