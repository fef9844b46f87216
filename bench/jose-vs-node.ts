/**
 * Signing and verification rates of the protocol seam, jose (WebCrypto) against the node:crypto
 * fast path (`@warden/protocol/node`), for RS256, PS256, ES256 and EdDSA: JWT access tokens
 * signed with `signJwt` / `createNodeSigner` and verified with `verifyJwt` / `verifyJwtNode`
 * (typ, iss, aud and exp checked on both). One process, one operation at a time, every thread
 * pinned to one core when `taskset` exists. Prints a table on stderr and one JSON object on stdout.
 * See bench/README.md.
 *
 *   node --import tsx bench/jose-vs-node.ts [--duration 1] [--core 0] [--algs RS256,PS256,ES256,EdDSA]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import {
  generateSigningKey,
  importKey,
  importKeySet,
  SIGNING_ALGORITHMS,
  type SigningAlg,
  signJwt,
  verifyJwt,
} from '@warden/protocol';
import { createNodeSigner, importNodeKeySet, verifyJwtNode } from '@warden/protocol/node';
import { formatTable, round, say } from './lib/bench-report.js';

type Path = 'jose' | 'node';
type Operation = 'sign' | 'verify';
interface CaseResult {
  alg: SigningAlg;
  operation: Operation;
  path: Path;
  perSecond: number;
  microsPerOp: number;
  operations: number;
}

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '1' },
    core: { type: 'string', default: '0' },
    algs: { type: 'string', default: SIGNING_ALGORITHMS.join(',') },
  },
  strict: true,
});
const durationMs = Number(values.duration) * 1000;
if (!(durationMs >= 100 && durationMs <= 60_000)) throw new TypeError('--duration must be 0.1 to 60 seconds');
const core = Number(values.core);
if (!Number.isInteger(core) || core < -1) throw new TypeError('--core must be a core number, or -1 for none');
const algs = values.algs.split(',').map((alg) => alg.trim()) as SigningAlg[];
for (const alg of algs) {
  if (!SIGNING_ALGORITHMS.includes(alg))
    throw new TypeError(`--algs: ${alg} is not one of ${SIGNING_ALGORITHMS}`);
}

/** Runs `operation` one at a time for `durationMs` after a tenth of that unrecorded. */
async function measure(operation: () => unknown): Promise<{ perSecond: number; operations: number }> {
  const run = async (ms: number) => {
    let operations = 0;
    const start = performance.now();
    const end = start + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 16; i++) await operation();
      operations += 16;
    }
    return { operations, elapsedMs: performance.now() - start };
  };
  await run(durationMs / 10);
  const { operations, elapsedMs } = await run(durationMs);
  return { perSecond: (operations * 1000) / elapsedMs, operations };
}

const pinned =
  core >= 0 && spawnSync('taskset', ['-a', '-cp', String(core), String(process.pid)]).status === 0;
say(pinned ? `pinned to core ${core}` : 'not pinned (taskset missing or --core -1)');

const now = Math.floor(Date.now() / 1000);
const claims = {
  iss: 'http://localhost:3000/',
  sub: 'user-1',
  aud: 'http://localhost:3001/',
  exp: now + 600,
  iat: now,
  jti: 'b2f1c0de-5a4e-4b8e-9a7f-3c2d1e0f9a8b',
  client_id: 'dragons-spa',
  scope: 'openid read:dragons',
};
const verifyOptions = {
  typ: 'at+jwt',
  issuer: claims.iss,
  audience: claims.aud,
  currentTime: now,
};

const results: CaseResult[] = [];
for (const alg of algs) {
  const generated = await generateSigningKey(alg, { kid: `${alg}-bench` });
  const privateKey = await importKey(generated.privateJwk);
  const joseKeys = await importKeySet({ keys: [generated.publicJwk] });
  const nodeKeys = await importNodeKeySet({ keys: [generated.publicJwk] });
  const nodeSign = createNodeSigner(privateKey);
  const token = nodeSign(claims, { typ: 'at+jwt' });
  // Each path must accept the other's tokens before anything is timed.
  await verifyJwt(token, joseKeys, verifyOptions);
  verifyJwtNode(await signJwt(claims, privateKey, { typ: 'at+jwt' }), nodeKeys, verifyOptions);

  const cases: [Operation, Path, () => unknown][] = [
    ['sign', 'jose', () => signJwt(claims, privateKey, { typ: 'at+jwt' })],
    ['sign', 'node', () => nodeSign(claims, { typ: 'at+jwt' })],
    ['verify', 'jose', () => verifyJwt(token, joseKeys, verifyOptions)],
    ['verify', 'node', () => verifyJwtNode(token, nodeKeys, verifyOptions)],
  ];
  for (const [operation, path, run] of cases) {
    const { perSecond, operations } = await measure(run);
    results.push({
      alg,
      operation,
      path,
      perSecond: Math.round(perSecond),
      microsPerOp: round(1e6 / perSecond, 1),
      operations,
    });
    say(`${alg} ${operation} ${path}: ${Math.round(perSecond)}/s`);
  }
}

const rateOf = (alg: SigningAlg, operation: Operation, path: Path) =>
  results.find((r) => r.alg === alg && r.operation === operation && r.path === path)!.perSecond;
const ratios = Object.fromEntries(
  algs.map((alg) => [
    alg,
    {
      sign: round(rateOf(alg, 'sign', 'node') / rateOf(alg, 'sign', 'jose')),
      verify: round(rateOf(alg, 'verify', 'node') / rateOf(alg, 'verify', 'jose')),
    },
  ]),
);

say();
say(
  formatTable([
    ['alg', 'op', 'jose /s', 'jose µs', 'node /s', 'node µs', 'node ÷ jose'],
    ...algs.flatMap((alg) =>
      (['sign', 'verify'] as const).map((operation) => {
        const jose = results.find((r) => r.alg === alg && r.operation === operation && r.path === 'jose')!;
        const node = results.find((r) => r.alg === alg && r.operation === operation && r.path === 'node')!;
        return [
          alg,
          operation,
          jose.perSecond,
          jose.microsPerOp,
          node.perSecond,
          node.microsPerOp,
          `${ratios[alg]![operation]}×`,
        ];
      }),
    ),
  ]),
);

process.stdout.write(
  `${JSON.stringify({
    scenario: 'jose-vs-node',
    node: process.version,
    date: new Date().toISOString(),
    durationSeconds: durationMs / 1000,
    pinnedCore: pinned ? core : null,
    results,
    ratios,
  })}\n`,
);
