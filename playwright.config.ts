import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import type { Mode } from './e2e/support/system.js';
import { outputDir } from './e2e/support/system.js';

/**
 * The e2e suite: Playwright Test in Debian's Chromium (Playwright cannot download browsers here)
 * against the whole system, once per mode of the Dragons app: the project `token` (the page keeps
 * its tokens) and the project `cookie` (the app's server keeps them; `*.cookie.spec.ts` run there
 * only). Each project's worker starts its own system on its own ports (e2e/support/test.ts). Run
 * it with `npm run e2e` (`-- --project=cookie` for one mode), which skips with a message when no
 * Chromium is installed. Everything it writes goes to E2E_OUTPUT_DIR (default: <tmp>/warden-e2e),
 * never into the repository.
 */
export default defineConfig<{ mode: Mode }>({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  outputDir: join(outputDir, 'test-results'),
  // Two shared cores: one browser at a time.
  workers: 1,
  fullyParallel: false,
  // No retries, in CI either: a flaky test is found and fixed, not retried into green.
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { outputFolder: join(outputDir, 'report'), open: 'never' }]],
  projects: [
    { name: 'token', use: { mode: 'token' }, testIgnore: '**/*.cookie.spec.ts' },
    { name: 'cookie', use: { mode: 'cookie' } },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
    navigationTimeout: 30_000,
    actionTimeout: 15_000,
    trace: 'retain-on-first-failure',
    screenshot: 'only-on-failure',
  },
});
