import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { type Mode, screenshotDir } from './system.js';

/** Saves a full-page screenshot as `<E2E_OUTPUT_DIR>/screenshots/<mode>-<name>.png` (outside the repository). */
export async function saveScreenshot(page: Page, mode: Mode, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${mode}-${name}.png`), fullPage: true });
}
