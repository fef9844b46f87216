import { test as base } from '@playwright/test';
import { startSystem, startTimeoutMs } from './start-system.js';
import { type Mode, type System, systemOf } from './system.js';

export { expect } from '@playwright/test';

/** The system as it runs: its URLs, and where its idp keeps its data (for the `warden` CLI). */
export interface RunningSystemInfo extends System {
  dataDir: string;
}

/**
 * Playwright's `test` with the system under test: each project of playwright.config.ts names its
 * `mode`, and the worker starts that mode's system (`node scripts/start.mjs` on the mode's ports)
 * before its first test and stops it when it ends. Specs read the URLs from `system`.
 */
export const test = base.extend<object, { mode: Mode; system: RunningSystemInfo }>({
  mode: ['token', { scope: 'worker', option: true }],
  system: [
    async ({ mode }, use) => {
      const system = systemOf(mode);
      const running = await startSystem(system);
      try {
        await use({ ...system, dataDir: running.dataDir });
      } finally {
        await running.stop();
      }
    },
    { scope: 'worker', auto: true, timeout: startTimeoutMs + 30_000 },
  ],
});
