import { expect, type Page, test } from '@playwright/test';
import { decodeJwt } from '@warden/protocol/core';
import { callApi } from './support/api.js';
import { expectDragons, expectSignedIn, readAccessToken, signInThroughApp } from './support/app.js';
import { accessTokenTtl, demo, idpUrl, spaUrl } from './support/system.js';

/** Waits until every access token issued so far has expired (the run's tokens live `accessTokenTtl` s). */
async function outliveAccessTokens(page: Page): Promise<void> {
  await page.waitForTimeout((accessTokenTtl + 1) * 1000);
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
  const grants: { type: string; status: number }[] = [];
  context.on('response', (response) => {
    if (response.url() !== `${idpUrl}oauth/token`) return;
    const type = new URLSearchParams(response.request().postData() ?? '').get('grant_type') ?? '';
    grants.push({ type, status: response.status() });
  });

  await signInThroughApp(page, demo.admin);
  const other = await context.newPage();
  await other.goto(spaUrl);
  await expectSignedIn(other, demo.admin.name);
  await expectDragons(other);

  // Both tabs hold an expired token and the same rotating refresh token; both call the API at once.
  await outliveAccessTokens(page);
  await Promise.all([revisitHome(page), revisitHome(other)]);
  await expect(page.getByTestId('orders-panel')).toBeVisible();
  await expect(other.getByTestId('orders-panel')).toBeVisible();

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
  const refreshes = grants.filter((grant) => grant.type === 'refresh_token');
  expect(refreshes.length).toBeGreaterThanOrEqual(2);
  expect(grants.filter((grant) => grant.status !== 200)).toEqual([]);
});
