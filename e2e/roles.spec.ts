import { expect, test } from '@playwright/test';
import { callApi } from './support/api.js';
import { expectDragons, readAccessToken, signInThroughApp } from './support/app.js';
import { demo } from './support/system.js';

test('an admin sees the orders', async ({ page, request }) => {
  await signInThroughApp(page, demo.admin);
  await expectDragons(page);
  await expect(page.getByTestId('orders-panel')).toBeVisible();
  await expect(page.getByTestId('order-item').first()).toBeVisible();
  await expect(page.getByTestId('orders-error')).toHaveCount(0);

  const token = await readAccessToken(page);
  expect((await callApi(request, 'orders', token)).status()).toBe(200);
});

test('a regular user sees no Orders panel, and the API refuses them the orders', async ({
  page,
  request,
}) => {
  await signInThroughApp(page, demo.user);
  await expectDragons(page);
  await expect(page.getByTestId('orders-panel')).toHaveCount(0);

  const token = await readAccessToken(page);
  const orders = await callApi(request, 'orders', token);
  expect(orders.status()).toBe(403);
  expect(orders.headers()['www-authenticate']).toContain('insufficient_scope');
  // The same token is good for what the user may see: the 403 is about the role.
  expect((await callApi(request, 'dragons', token)).status()).toBe(200);
});
