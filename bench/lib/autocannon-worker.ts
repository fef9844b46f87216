/**
 * The load generator process: `node --import tsx autocannon-worker.ts '<LoadOptions JSON>'`,
 * started pinned to the load core by `runLoad`. Runs an unrecorded warm-up, then the measured
 * run, and prints one JSON line (a `LoadResult`).
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './run-load.js';

/** Hands out the tokens of `files` in order, starting over after the last. */
function createTokenCycle(files: string[]) {
  const tokens = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean));
  if (tokens.length === 0) throw new Error('bearerTokenFiles hold no token');
  let sent = 0;
  return {
    distinct: tokens.length,
    sent: () => sent,
    next: () => tokens[sent++ % tokens.length]!,
  };
}

type TokenCycle = ReturnType<typeof createTokenCycle>;

function cannon(options: LoadOptions, duration: number, cycle?: TokenCycle): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    ...(cycle && {
      requests: [
        {
          // autocannon gives each build a fresh headers object, so setting one is safe.
          setupRequest: (request) => {
            request.headers = request.headers ?? {};
            request.headers.authorization = `Bearer ${cycle.next()}`;
            return request;
          },
        },
      ],
    }),
    connections: options.connections,
    pipelining: options.pipelining,
    duration,
    timeout: 10,
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as LoadOptions;
  const cycle = options.bearerTokenFiles ? createTokenCycle(options.bearerTokenFiles) : undefined;
  const warmup = options.warmupSeconds > 0 ? await cannon(options, options.warmupSeconds, cycle) : undefined;
  const result = await cannon(options, options.durationSeconds, cycle);
  const seconds = result.duration;
  const summary: LoadResult = {
    requests: result.requests.total,
    warmupRequests: warmup?.requests.total ?? 0,
    seconds,
    requestsPerSecond: Math.round((result.requests.total / seconds) * 10) / 10,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    ...(cycle && { tokens: { distinct: cycle.distinct, sent: cycle.sent() } }),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
