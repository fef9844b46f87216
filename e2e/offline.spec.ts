import { openSignedOut } from './support/app.js';
import { expect, test } from './support/test.js';

test('the app shell reloads offline from the service worker', async ({ page, context, system }) => {
  await openSignedOut(page, system);
  // The worker registers once the app is stable (at the latest after 30 s); once it is active, the
  // next load is under its control. It caches the shell after that, in the background.
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
  // The app's runtime settings are cached when a load under the worker's control fetches them (a
  // later visit): reload until that has happened too.
  await expect
    .poll(
      async () => {
        const missing = await page.evaluate(missingFromWorkerCache);
        if (missing.length === 1 && missing[0] === '/config.json') await page.reload();
        return missing;
      },
      { timeout: 30_000, message: 'the shell and the runtime settings are cached' },
    )
    .toEqual([]);

  await context.setOffline(true);
  try {
    const response = await page.reload();
    expect(response?.fromServiceWorker()).toBe(true);
    await expect(page.getByTestId('nav-home')).toBeVisible();
    await expect(page.getByTestId('nav-profile')).toBeVisible();
    await expect(page.getByTestId('signed-out')).toBeVisible();
    if (system.mode === 'token') {
      await expect(page.getByTestId('app-error')).toHaveCount(0);
    } else {
      // Who is signed in is the app server's to say: offline, the page says it could not ask.
      await expect(page.getByTestId('app-error')).toContainText('temporarily_unavailable');
    }
  } finally {
    await context.setOffline(false);
  }
});

/** The files of the shell (ngsw.json's prefetched groups) and the runtime settings that the worker has not cached yet. */
async function missingFromWorkerCache(): Promise<string[]> {
  const manifest = (await (await fetch('/ngsw.json', { cache: 'no-store' })).json()) as {
    assetGroups: { installMode: string; urls: string[] }[];
  };
  const missing: string[] = [];
  for (const group of manifest.assetGroups.filter((each) => each.installMode === 'prefetch')) {
    for (const url of group.urls) {
      if (!(await caches.match(url, { ignoreSearch: true }))) missing.push(url);
    }
  }
  if (!(await caches.match('/config.json', { ignoreSearch: true }))) missing.push('/config.json');
  return missing;
}
