import { callApi, fetchStatusInPage } from './support/api.js';
import { expectDragons, readAccessToken, signInThroughApp } from './support/app.js';
import { demo } from './support/system.js';
import { expect, test } from './support/test.js';

test('an admin sees the orders', async ({ page, request, system }) => {
  await signInThroughApp(page, system, demo.admin);
  await expectDragons(page);
  await expect(page.getByTestId('orders-panel')).toBeVisible();
  await expect(page.getByTestId('order-item').first()).toBeVisible();
  await expect(page.getByTestId('orders-error')).toHaveCount(0);

  if (system.mode === 'token') {
    const token = await readAccessToken(page);
    expect((await callApi(request, system, 'orders', token)).status()).toBe(200);
  } else {
    // No token in the page: the app's origin forwards with the one its server keeps.
    expect(await fetchStatusInPage(page, '/api/orders')).toBe(200);
  }
});

test('a regular user sees no Orders panel, and the API refuses them the orders', async ({
  page,
  request,
  system,
}) => {
  await signInThroughApp(page, system, demo.user);
  await expectDragons(page);
  await expect(page.getByTestId('orders-panel')).toHaveCount(0);

  if (system.mode === 'token') {
    const token = await readAccessToken(page);
    const orders = await callApi(request, system, 'orders', token);
    expect(orders.status()).toBe(403);
    expect(orders.headers()['www-authenticate']).toContain('insufficient_scope');
    // The same token is good for what the user may see: the 403 is about the role.
    expect((await callApi(request, system, 'dragons', token)).status()).toBe(200);
  } else {
    // Through the app's origin with the user's cookie: the API's own answer comes back.
    const orders = await page.evaluate(async () => {
      const response = await fetch('/api/orders', { credentials: 'same-origin' });
      return { status: response.status, challenge: response.headers.get('www-authenticate') };
    });
    expect(orders.status).toBe(403);
    expect(orders.challenge).toContain('insufficient_scope');
    expect(await fetchStatusInPage(page, '/api/dragons')).toBe(200);
  }
});
