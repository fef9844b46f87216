import { expect, type Page, type Request, test } from '@playwright/test';
import { decodeJwt } from '@warden/protocol/core';
import { callApi } from './support/api.js';
import { expectDragons, expectSignedIn, readAccessToken, signInThroughApp } from './support/app.js';
import { accessTokenTtl, demo, idpUrl, spaUrl } from './support/system.js';

/** Waits until every access token issued so far has expired (the run's tokens live `accessTokenTtl` s). */
async function outliveAccessTokens(page: Page): Promise<void> {
  await page.waitForTimeout((accessTokenTtl + 1) * 1000);
}

/** Which tab made `request` ('A' or 'B'); undefined for the service worker's own requests. */
function tabOf(request: Request, tabs: (Page | undefined)[]): string | undefined {
  if (request.serviceWorker()) return undefined;
  try {
    const index = tabs.indexOf(request.frame().page());
    return index < 0 ? undefined : 'AB'[index];
  } catch {
    return undefined; // no frame: a worker's request
  }
}

/** Goes to the profile and back home inside the app: the home page calls the API again. */
async function revisitHome(page: Page): Promise<void> {
  await page.getByTestId('nav-profile').click();
  await expect(page.getByTestId('profile-page')).toBeVisible();
  await page.getByTestId('nav-home').click();
  await expectDragons(page);
}

test('refresh rotation with two tabs open keeps both signed in', async ({ page, context, request }) => {
  test.setTimeout(180_000);
  let other: Page | undefined;
  /** The token requests the tabs made, with the tab and the refresh token's first characters. */
  const grants: { type: string; status: number; tab: string; token: string }[] = [];
  context.on('response', (response) => {
    if (response.url() !== `${idpUrl}oauth/token`) return;
    // The app's service worker passes the idp's requests through: count the pages' requests only.
    const tab = tabOf(response.request(), [page, other]);
    if (!tab) return;
    const form = new URLSearchParams(response.request().postData() ?? '');
    grants.push({
      type: form.get('grant_type') ?? '',
      status: response.status(),
      tab,
      token: (form.get('refresh_token') ?? '').slice(0, 6),
    });
  });

  await signInThroughApp(page, demo.admin);
  other = await context.newPage();
  await other.goto(spaUrl);
  await expectSignedIn(other, demo.admin.name);
  await expectDragons(other);

  // Both tabs hold an expired token and the same rotating refresh token; both call the API at once.
  // Exactly one tab refreshes; the other takes its result (a second use of the spent refresh token
  // would be reuse).
  await outliveAccessTokens(page);
  const before = grants.length;
  await Promise.all([revisitHome(page), revisitHome(other)]);
  await expect(page.getByTestId('orders-panel')).toBeVisible();
  await expect(other.getByTestId('orders-panel')).toBeVisible();
  const roundOne = grants.slice(before);
  expect(
    roundOne.map(({ type, status }) => ({ type, status })),
    JSON.stringify(roundOne),
  ).toEqual([{ type: 'refresh_token', status: 200 }]);

  // And again through reloads: each tab reloads with nothing in memory and takes the other's tokens.
  await outliveAccessTokens(page);
  await page.reload();
  await expectSignedIn(page, demo.admin.name);
  await expectDragons(page);
  await other.reload();
  await expectSignedIn(other, demo.admin.name);
  await expectDragons(other);

  for (const tab of [page, other]) {
    const token = await readAccessToken(tab);
    expect(Number(decodeJwt(token).payload.exp) * 1000).toBeGreaterThan(Date.now());
    expect((await callApi(request, 'orders', token)).status()).toBe(200);
  }
  expect(grants.filter((grant) => grant.type === 'refresh_token').length).toBeGreaterThanOrEqual(2);
  expect(
    grants.filter((grant) => grant.status !== 200),
    JSON.stringify(grants),
  ).toEqual([]);
});
