import { expect, test } from '@playwright/test';
import { spaUrl } from './support/system.js';

test('the app shell reloads offline from the service worker', async ({ page, context }) => {
  await page.goto(spaUrl);
  await expect(page.getByTestId('nav-home')).toBeVisible();
  // The worker registers once the app is stable (at the latest after 30 s) and caches the shell
  // while installing; once active, the next load is under its control.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect
    .poll(
      async () => {
        if (await page.evaluate(() => navigator.serviceWorker.controller !== null)) return true;
        await page.reload();
        return page.evaluate(() => navigator.serviceWorker.controller !== null);
      },
      { timeout: 30_000 },
    )
    .toBe(true);

  await context.setOffline(true);
  try {
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(page.getByTestId('nav-home')).toBeVisible();
    await expect(page.getByTestId('nav-profile')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Dragons' })).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
});
