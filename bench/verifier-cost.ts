/**
 * The verifier's own cost per request, in one process on one core, without HTTP: µs per call of
 * `verifier.verify(request)` for a token seen before (warm: a cache hit) and for a new token each
 * time (cold), beside the floor any verifier pays for a new token — `crypto.verify` alone on
 * buffers split beforehand — and the protocol seam alone (`verifyJwtNode`: parsing, checks and
 * signature, no cache, no principal, no revocation). Each request's `Authorization` value is a
 * fresh string, as an HTTP parser hands it over. Tokens are the API benchmarks' RFC 9068 tokens
 * (`lib/access-tokens.ts`); the verifier has static keys, the default cache (10,000) and a
 * revocation view holding 1,000 `jti` entries, as `api-verify.ts` runs it.
 *
 *   node --import tsx bench/verifier-cost.ts [--algs RS256,ES256] [--tokens 30000] [--duration 1]
 *     [--rounds 3] [--core 0]   (--core: taskset the process to one core; -1 for none)
 *
 * What it prints is a same-run comparison: absolute µs move with the machine's load. Table on
 * stderr, one JSON object on stdout. See bench/README.md.
 */
import { spawnSync } from 'node:child_process';
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { loadavg } from 'node:os';
import { generateSigningKey, importKey, RevocationSet } from '@warden/protocol';
import { createNodeSigner, importNodeKeySet, verifyJwtNode } from '@warden/protocol/node';
import { createVerifier, type Verifier } from '@warden/resource';
import { accessTokenClaims } from './lib/access-tokens.js';
import { API_ALGS, API_AUDIENCE, type ApiAlg, readList } from './lib/api-variants.js';
import { formatTable, machineReport, readArgs, round, say } from './lib/bench-report.js';

const ISSUER = 'https://issuer.bench.test/';

interface Measure {
  alg: ApiAlg;
  name: string;
  /** CPU µs per call: the lowest and the median of the rounds. */
  minUs: number;
  medianUs: number;
}

/**
 * Runs `step()` for `seconds` (after a tenth of that unrecorded) and returns the CPU time of this
 * process (user + system, all threads: GC included) per call, which time taken by other processes
 * on the core does not inflate as it does wall time. Every 32 calls it yields to the microtask
 * queue, as a server does between requests, so settled promises are handled, not piled up.
 */
async function timeLoop(seconds: number, step: () => void): Promise<{ usPerOp: number; ops: number }> {
  const run = async (ms: number) => {
    let ops = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    while (performance.now() - start < ms) {
      for (let k = 0; k < 32; k++) step();
      ops += 32;
      await null;
    }
    const used = process.cpuUsage(cpu);
    return { ops, us: used.user + used.system };
  };
  await run(seconds * 100);
  const { ops, us } = await run(seconds * 1000);
  return { usPerOp: round(us / ops, 2), ops };
}

/** Awaits nothing but makes sure `verify` settled without an error (the verifier answers synchronously when it can). */
function settled(promise: Promise<unknown>): void {
  promise.catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

/** A fresh `Bearer <token>` string per call, as an HTTP parser makes one per request. */
function headerFactory(tokens: string[]): (i: number) => string {
  const buffers = tokens.map((token) => Buffer.from(`Bearer ${token}`, 'latin1'));
  return (i) => buffers[i % buffers.length]!.toString('latin1');
}

async function measureAlg(alg: ApiAlg, count: number, seconds: number, rounds: number): Promise<Measure[]> {
  const key = await generateSigningKey(alg);
  const sign = createNodeSigner(await importKey(key.privateJwk));
  const iat = Math.floor(Date.now() / 1000);
  const tokens = Array.from({ length: count }, (_, index) =>
    sign(accessTokenClaims({ issuer: ISSUER, audience: API_AUDIENCE, index, iat }), { typ: 'at+jwt' }),
  );
  const revocations = new RevocationSet();
  revocations.apply(
    Array.from({ length: 1000 }, (_, i) => ({
      seq: i + 1,
      kind: 'jti' as const,
      value: `revoked-${i}`,
      notBefore: iat,
      expiresAt: iat + 86_400,
    })),
  );
  const makeVerifier = async (): Promise<Verifier> => {
    const made = createVerifier({
      issuer: ISSUER,
      audience: API_AUDIENCE,
      algorithms: [alg],
      keys: { keys: [key.publicJwk as unknown as Record<string, unknown>] },
      revocation: {
        view: {
          isRevoked: (claims, kid) => revocations.isRevoked(claims, kid),
          staleness: () => 0,
          get revision() {
            return revocations.lastSeq;
          },
        },
      },
    });
    await made.ready();
    return made;
  };
  const verifier = await makeVerifier();
  // The cold case gets a new verifier every round, so no token it sees was seen before.
  let coldVerifier = verifier;
  // The floor: the signature alone, on buffers split and decoded beforehand.
  const publicKey: KeyObject = createPublicKey({ key: key.publicJwk as never, format: 'jwk' });
  const split = tokens.map((token) => {
    const dot = token.lastIndexOf('.');
    return {
      data: Buffer.from(token.slice(0, dot), 'latin1'),
      signature: Buffer.from(token.slice(dot + 1), 'base64url'),
    };
  });
  const rawOptions = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
  const keySet = await importNodeKeySet({ keys: [key.publicJwk] });
  const seamOptions = {
    issuer: ISSUER,
    audience: API_AUDIENCE,
    algorithms: [alg],
    typ: 'at+jwt',
    clockTolerance: 5,
    currentTime: iat,
    requiredClaims: ['sub', 'client_id', 'iat', 'jti'],
  };
  const freshHeader = headerFactory(tokens);
  const warmHeader = headerFactory([tokens[0]!]);
  const cases: [string, (i: number) => void][] = [
    [
      'crypto.verify alone (floor)',
      (i) => {
        const { data, signature } = split[i % split.length]!;
        if (!cryptoVerify('sha256', data, rawOptions, signature)) throw new Error('bad signature');
      },
    ],
    [
      'protocol verifyJwtNode (no cache)',
      (i) => verifyJwtNode(tokens[i % tokens.length]!, keySet, seamOptions),
    ],
    [
      'fresh header string only',
      (i) => {
        if (freshHeader(i).length < 10) throw new Error('short');
      },
    ],
    [
      'verifier.verify, warm (cache hit)',
      (i) => settled(verifier.verify({ method: 'GET', headers: { authorization: warmHeader(i) } })),
    ],
    [
      'verifier.verify, cold (new token)',
      (i) => settled(coldVerifier.verify({ method: 'GET', headers: { authorization: freshHeader(i) } })),
    ],
  ];
  const runs = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++) {
    coldVerifier = await makeVerifier();
    for (const [name, step] of cases) {
      let next = 0;
      const timed = await timeLoop(seconds, () => step(next++));
      runs.set(name, [...(runs.get(name) ?? []), timed.usPerOp]);
    }
  }
  const results = cases.map(([name]): Measure => {
    const values = [...(runs.get(name) ?? [])].sort((x, y) => x - y);
    const measure = { alg, name, minUs: values[0]!, medianUs: values[Math.floor((values.length - 1) / 2)]! };
    say(`  ${alg} ${name}: min ${measure.minUs} µs, median ${measure.medianUs} µs`);
    return measure;
  });
  say(`  status ${JSON.stringify(coldVerifier.status())}`);
  await verifier.close();
  return results;
}

async function main(): Promise<void> {
  const args = readArgs(
    {
      tokens: { default: 30_000, min: 1000, max: 200_000 },
      core: { default: 0, min: -1, max: 63 },
      rounds: { default: 3, min: 1, max: 20 },
    },
    { algs: API_ALGS.join(',') },
    { durationSeconds: 1 },
  );
  const algs = readList(args.strings.algs ?? '', API_ALGS, 'algs');
  if (args.core >= 0) {
    spawnSync('taskset', ['-a', '-cp', String(args.core), String(process.pid)], { stdio: 'ignore' });
  }
  const loadBefore = loadavg();
  const results: Measure[] = [];
  for (const alg of algs)
    results.push(...(await measureAlg(alg, args.tokens, args.durationSeconds, args.rounds)));
  say('');
  say(
    formatTable([
      ['alg', 'measure', 'min µs', 'median µs'],
      ...results.map((r) => [r.alg, r.name, r.minUs, r.medianUs]),
    ]),
  );
  process.stdout.write(
    `${JSON.stringify({ scenario: 'verifier-cost', date: new Date().toISOString(), machine: machineReport(loadBefore), results }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
