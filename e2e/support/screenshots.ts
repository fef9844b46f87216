import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { screenshotDir } from './system.js';

/** Saves a full-page screenshot as `<E2E_OUTPUT_DIR>/screenshots/<name>.png` (outside the repository). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}
