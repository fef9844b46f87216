/**
 * The load generator process: `node --import tsx autocannon-worker.ts '<LoadOptions JSON>'`,
 * started pinned to the load core by `runLoad`. Runs an unrecorded warm-up, then the measured
 * run, and prints one JSON line (a `LoadResult`).
 */
import autocannon from 'autocannon';
import type { LoadOptions, LoadResult } from './run-load.js';

function cannon(options: LoadOptions, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: options.url,
    method: options.method,
    headers: options.headers,
    body: options.body,
    connections: options.connections,
    pipelining: options.pipelining,
    duration,
    timeout: 10,
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '') as LoadOptions;
  const warmup = options.warmupSeconds > 0 ? await cannon(options, options.warmupSeconds) : undefined;
  const result = await cannon(options, options.durationSeconds);
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
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
