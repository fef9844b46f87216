import type { APIRequestContext, BrowserContext, Page, Request } from '@playwright/test';
import { decodeJwt } from '@warden/protocol/core';
import { bffUserInPage, callApi } from './support/api.js';
import { expectDragons, expectSignedIn, readAccessToken, signInThroughApp } from './support/app.js';
import { accessTokenTtl, demo, type System } from './support/system.js';
import { expect, test } from './support/test.js';

/**
 * Waits until every access token issued so far has expired (the run's tokens live `accessTokenTtl`
 * s). Wall time on purpose: the system under test runs as users run it, on the real clock, and
 * letting its tokens expire is what these tests are about; the wait waits for no background work.
 */
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

/** Signs the admin in in tab A, opens tab B; both show the dragons. Returns B. */
async function twoSignedInTabs(page: Page, context: BrowserContext, system: System): Promise<Page> {
  await signInThroughApp(page, system, demo.admin);
  const other = await context.newPage();
  await other.goto(system.spaUrl);
  await expectSignedIn(other, demo.admin.name);
  await expectDragons(other);
  return other;
}

/** Reloads both tabs: each is still signed in and shows the dragons and the orders. */
async function reloadBoth(tabs: Page[]): Promise<void> {
  for (const tab of tabs) {
    await tab.reload();
    await expectSignedIn(tab, demo.admin.name);
    await expectDragons(tab);
    await expect(tab.getByTestId('orders-panel')).toBeVisible();
  }
}

/**
 * Token mode: both tabs hold an expired token and the same rotating refresh token and call the API
 * at once. Exactly one tab refreshes; the other takes its result (a second use of the spent refresh
 * token would be reuse and end the family).
 */
async function tabsShareOneRefresh(
  page: Page,
  context: BrowserContext,
  request: APIRequestContext,
  system: System,
): Promise<void> {
  let other: Page | undefined;
  /** The token requests the tabs made, with the tab and the refresh token's first characters. */
  const grants: { type: string; status: number; tab: string; token: string }[] = [];
  context.on('response', (response) => {
    if (response.url() !== `${system.idpUrl}oauth/token`) return;
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

  other = await twoSignedInTabs(page, context, system);

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
  await reloadBoth([page, other]);

  for (const tab of [page, other]) {
    const token = await readAccessToken(tab);
    expect(Number(decodeJwt(token).payload.exp) * 1000).toBeGreaterThan(Date.now());
    expect((await callApi(request, system, 'orders', token)).status()).toBe(200);
  }
  expect(grants.filter((grant) => grant.type === 'refresh_token').length).toBeGreaterThanOrEqual(2);
  expect(
    grants.filter((grant) => grant.status !== 200),
    JSON.stringify(grants),
  ).toEqual([]);
}

/**
 * Cookie mode: the refresh is the app server's. After the session's access token has expired,
 * both tabs (one session cookie) call the API at once and keep getting the dragons and the orders;
 * `/bff/user` shows a renewed token, and the browser never talked to the token endpoint itself.
 */
async function serverRefreshes(page: Page, context: BrowserContext, system: System): Promise<void> {
  const tokenRequests: string[] = [];
  context.on('request', (request) => {
    if (request.url().startsWith(`${system.idpUrl}oauth/token`)) tokenRequests.push(request.url());
  });
  const other = await twoSignedInTabs(page, context, system);
  const expiresAt = async () => {
    const access = (await bffUserInPage(page)).access;
    expect(access, '/bff/user tells the grants').toBeDefined();
    return (access?.expiresAt ?? 0) * 1000;
  };

  const first = await expiresAt();
  await outliveAccessTokens(page);
  expect(first).toBeLessThan(Date.now());
  await Promise.all([revisitHome(page), revisitHome(other)]);
  await expect(page.getByTestId('orders-panel')).toBeVisible();
  await expect(other.getByTestId('orders-panel')).toBeVisible();
  const second = await expiresAt();
  expect(second, 'the server renewed the access token').toBeGreaterThan(Date.now());

  await outliveAccessTokens(page);
  expect(second).toBeLessThan(Date.now());
  await reloadBoth([page, other]);
  expect(await expiresAt()).toBeGreaterThan(Date.now());
  expect(tokenRequests, 'the browser asked the token endpoint').toEqual([]);
}

test('refresh rotation with two tabs open keeps both signed in', async ({
  page,
  context,
  request,
  system,
}) => {
  test.setTimeout(180_000);
  if (system.mode === 'token') await tabsShareOneRefresh(page, context, request, system);
  else await serverRefreshes(page, context, system);
});
