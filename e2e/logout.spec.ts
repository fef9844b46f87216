import { expect, test } from '@playwright/test';
import { decodeJwt } from '@warden/protocol/core';
import { callApi } from './support/api.js';
import { expectSignedIn, readAccessToken, signInThroughApp } from './support/app.js';
import { demo, spaUrl } from './support/system.js';

test('logout ends the session in every tab, and the API refuses the old access token', async ({
  page,
  context,
  request,
}) => {
  await signInThroughApp(page, demo.user);
  const other = await context.newPage();
  await other.goto(spaUrl);
  await expectSignedIn(other, demo.user.name);

  const token = await readAccessToken(page);
  expect((await callApi(request, 'dragons', token)).status()).toBe(200);

  await page.getByTestId('logout-button').click();

  await expect(page).toHaveURL(spaUrl);
  await expect(page.getByTestId('login-button')).toBeVisible();
  await expect(other.getByTestId('login-button')).toBeVisible();
  await expect(other.getByTestId('user-name')).toHaveCount(0);

  // Revoked, not merely forgotten: the API (following the idp's revocation feed) refuses it
  // while it has not expired yet.
  await expect
    .poll(async () => (await callApi(request, 'dragons', token)).status(), { timeout: 5000 })
    .toBe(401);
  expect(Number(decodeJwt(token).payload.exp) * 1000).toBeGreaterThan(Date.now());

  // The idp session is gone too: a reload does not sign the other tab back in.
  await other.reload();
  await expect(other.getByTestId('login-button')).toBeVisible();
});

test('logout revokes the access token even when the idp session has already ended', async ({
  page,
  context,
  request,
}) => {
  await signInThroughApp(page, demo.admin);
  const token = await readAccessToken(page);
  expect((await callApi(request, 'orders', token)).status()).toBe(200);
  // The idp's session ends on its own (idle timeout, cookies cleared) while the app holds tokens.
  await context.clearCookies({ name: 'warden_session' });

  await page.getByTestId('logout-button').click();

  await expect(page).toHaveURL(spaUrl);
  await expect(page.getByTestId('login-button')).toBeVisible();
  await expect
    .poll(async () => (await callApi(request, 'orders', token)).status(), { timeout: 5000 })
    .toBe(401);
  expect(Number(decodeJwt(token).payload.exp) * 1000).toBeGreaterThan(Date.now());
});
