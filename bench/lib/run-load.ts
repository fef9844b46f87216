import { benchFile, LOAD_CORE, runPinnedJson } from './pinned-node.js';

export interface LoadOptions {
  /** Must be a 127.0.0.1 URL. */
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /**
   * Files of access tokens, one per line. When set, each request carries the next token as
   * `Authorization: Bearer …`, in file order across all connections, the warm-up included, and
   * starts over after the last one.
   */
  bearerTokenFiles?: string[];
  connections: number;
  pipelining: number;
  /** Unrecorded load before the measured run. */
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  requests: number;
  /** Requests answered during the warm-up (not in the other numbers). */
  warmupRequests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  /** With `bearerTokenFiles`: how many distinct tokens there were and how many requests were built. */
  tokens?: { distinct: number; sent: number };
}

/**
 * Runs autocannon in its own process pinned to the load core (`taskset -c 1`), a warm-up and
 * then the measured run, and returns the measured run's numbers. Refuses any target but
 * 127.0.0.1. The measured run is at most `maxDurationSeconds` (default 120; a soak passes more).
 * It does NOT judge the result: the caller checks `non2xx`, `errors`, `timeouts`.
 */
export function runLoad(options: LoadOptions, maxDurationSeconds = 120): Promise<LoadResult> {
  if (new URL(options.url).hostname !== '127.0.0.1') throw new TypeError('url must target 127.0.0.1');
  const bounded = (value: number, max: number) => Number.isFinite(value) && value >= 0 && value <= max;
  if (!bounded(options.durationSeconds, maxDurationSeconds) || !bounded(options.warmupSeconds, 60)) {
    throw new TypeError(`durationSeconds (≤ ${maxDurationSeconds}) and warmupSeconds (≤ 60) must be bounded`);
  }
  return runPinnedJson<LoadResult>({
    core: LOAD_CORE,
    script: benchFile('lib/autocannon-worker.ts'),
    args: [JSON.stringify(options)],
  });
}
