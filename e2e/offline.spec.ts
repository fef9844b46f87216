import { expect, test } from '@playwright/test';
import { openSignedOut } from './support/app.js';

test('the app shell reloads offline from the service worker', async ({ page, context }) => {
  await openSignedOut(page);
  // The worker registers once the app is stable (at the latest after 30 s) and caches the shell
  // while installing; once it is active, the next load is under its control.
  await expect
    .poll(
      () =>
        page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state ?? 'none'),
      { timeout: 45_000 },
    )
    .toBe('activated');
  await expect
    .poll(async () => {
      if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
      return page.evaluate(() => navigator.serviceWorker.controller !== null);
    })
    .toBe(true);

  await context.setOffline(true);
  try {
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(page.getByTestId('nav-home')).toBeVisible();
    await expect(page.getByTestId('nav-profile')).toBeVisible();
    await expect(page.getByTestId('signed-out')).toBeVisible();
    await expect(page.getByTestId('app-error')).toHaveCount(0);
  } finally {
    await context.setOffline(false);
  }
});
