import { defineConfig } from 'vitest/config';

/**
 * The instant every fake clock in the suites starts from, in epoch milliseconds (whole seconds):
 * `WARDEN_TEST_EPOCH` as an ISO 8601 date-time or epoch milliseconds, by default the real time when
 * the run starts. Tests read it with `inject('testEpoch')` and hand a clock starting there to every
 * component they build. CI runs the time-sensitive suites again with the epoch hundreds of days
 * away from the real date, so a component that reads the real clock instead of its owner's fails
 * loudly instead of on the day the real date passes some fixed fake one.
 */
function readTestEpoch(value: string | undefined): number {
  if (value === undefined || value === '') return Math.floor(Date.now() / 1000) * 1000;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isSafeInteger(ms)) {
    throw new TypeError(
      `WARDEN_TEST_EPOCH must be an ISO 8601 date-time or epoch milliseconds, got "${value}"`,
    );
  }
  return Math.floor(ms / 1000) * 1000;
}

/**
 * Suites that need PostgreSQL or Redis skip with a message when their URL is unset. CI promises
 * both (`.ci/run` sets them), so there a missing URL fails the run instead of skipping in silence.
 */
function checkCiServices(env: NodeJS.ProcessEnv): void {
  if (!env.CI || env.CI === 'false') return;
  const missing = ['DATABASE_URL', 'REDIS_URL'].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `CI is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not: those suites would skip`,
    );
  }
}

checkCiServices(process.env);
const testEpoch = readTestEpoch(process.env.WARDEN_TEST_EPOCH);
if (process.env.WARDEN_TEST_EPOCH) {
  console.log(`test epoch: ${new Date(testEpoch).toISOString()} (WARDEN_TEST_EPOCH)`);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where fake clocks start, in epoch milliseconds: see `readTestEpoch` in vitest.config.ts. */
    testEpoch: number;
  }
}

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.{ts,tsx}',
      'packages/*/test/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'apps/*/server/**/*.test.ts',
    ],
    provide: { testEpoch },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
