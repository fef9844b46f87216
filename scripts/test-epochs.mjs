#!/usr/bin/env node
/**
 * `npm run test:epochs`: runs the suites whose components read time again, with the test epoch
 * (`WARDEN_TEST_EPOCH`, see vitest.config.ts) hundreds of days before and after the real date.
 * Every fake clock starts at that epoch, so a component that reads the real clock instead of the
 * one its owner handed it (a store sweeping by `Date.now()`, a TTL set in absolute real time)
 * fails here, today, instead of on the day the real date passes some fixed fake one.
 *
 * Extra arguments go to Vitest (e.g. a file filter).
 */
import { spawnSync } from 'node:child_process';

const DAY = 24 * 60 * 60 * 1000;
/** Far enough that every lifetime in the suites (sessions, refresh families, keys) is crossed. */
const SHIFTS_IN_DAYS = [-437, 512];
const SUITES = [
  'packages/server',
  'packages/session',
  'packages/bff',
  'packages/resource',
  'packages/connections',
  'packages/browser',
  'apps/dragons-api',
  'apps/dragons-spa/server',
];

const extra = process.argv.slice(2);
for (const days of SHIFTS_IN_DAYS) {
  const epoch = new Date(Date.now() + days * DAY).toISOString();
  console.log(`\n== test epoch ${epoch} (${days > 0 ? '+' : ''}${days} days)\n`);
  const run = spawnSync('npx', ['vitest', 'run', ...SUITES, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, WARDEN_TEST_EPOCH: epoch },
  });
  if (run.status !== 0) {
    console.error(`test:epochs: the suites failed with the test epoch at ${epoch}`);
    process.exit(run.status ?? 1);
  }
}
