import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { outputDir, screenshotDir } from './support/system.js';

/**
 * Prepares E2E_OUTPUT_DIR: the screenshots and the systems' logs of an earlier run go (each worker
 * appends to the log of its mode, see support/start-system.ts). The systems themselves are started
 * by the `system` fixture (support/test.ts), one mode at a time.
 */
export default function globalSetup(): void {
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(outputDir, { recursive: true });
  for (const name of readdirSync(outputDir)) {
    if (/^system(-\w+)?\.log$/.test(name)) rmSync(join(outputDir, name), { force: true });
  }
}
