/**
 * The sign-in benchmark's peer: how many argon2id verifications per second one process does,
 * with the parameters Warden hashes passwords with (m=19456 KiB, t=2, p=1). Started pinned to the
 * server core by `sign-in.ts`: `node --import tsx argon2-rate.ts '<Argon2RateOptions JSON>'`.
 * Prints one JSON line (an `Argon2Rate`).
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';

export interface Argon2RateOptions {
  /** Verifications in flight at once (each runs on the libuv thread pool). */
  concurrency: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface Argon2Rate {
  concurrency: number;
  verifies: number;
  seconds: number;
  verifiesPerSecond: number;
  /** UV_THREADPOOL_SIZE in effect (libuv's default is 4). */
  threadPool: number;
}

const OPTIONS = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const PASSWORD = 'bench-password-0';

async function verifyFor(passwordHash: string, concurrency: number, ms: number): Promise<number> {
  const end = performance.now() + ms;
  let count = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        if (!(await verify(passwordHash, PASSWORD))) throw new Error('argon2 verify returned false');
        count += 1;
      }
    }),
  );
  return count;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as Argon2RateOptions;
  const passwordHash = await hash(PASSWORD, OPTIONS);
  await verifyFor(passwordHash, options.concurrency, options.warmupSeconds * 1000);
  const started = performance.now();
  const verifies = await verifyFor(passwordHash, options.concurrency, options.durationSeconds * 1000);
  const seconds = (performance.now() - started) / 1000;
  const result: Argon2Rate = {
    concurrency: options.concurrency,
    verifies,
    seconds: Math.round(seconds * 100) / 100,
    verifiesPerSecond: Math.round((verifies / seconds) * 10) / 10,
    threadPool: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
