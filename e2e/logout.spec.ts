import type { APIRequestContext } from '@playwright/test';
import { callWithCookie } from './support/api.js';
import { expectSignedIn, expectSignedOut, signInThroughApp } from './support/app.js';
import { type CopiedCredential, copyCredential } from './support/credential.js';
import { demo, type System } from './support/system.js';
import { expect, test } from './support/test.js';

/**
 * The copied credential stops working at once: a revoked access token is refused by the API (which
 * follows the idp's revocation feed) before it expires; a session cookie after logout names no
 * session any more, for the API and for `/bff/user`.
 */
async function expectCredentialDead(
  request: APIRequestContext,
  system: System,
  copied: CopiedCredential,
  path: string,
): Promise<void> {
  await expect.poll(() => copied.callApi(path), { timeout: 5000 }).toBe(401);
  if (copied.kind === 'token') {
    expect(copied.expiresAt ?? 0).toBeGreaterThan(Date.now());
  } else {
    const user = await callWithCookie(request, system, 'bff/user', copied.value);
    expect(user.status()).toBe(200);
    expect(await user.json()).toEqual({ isAuthenticated: false });
  }
}

test('logout ends the session in every tab, and the copied credential stops working', async ({
  page,
  context,
  request,
  system,
}) => {
  await signInThroughApp(page, system, demo.user);
  const other = await context.newPage();
  await other.goto(system.spaUrl);
  await expectSignedIn(other, demo.user.name);

  const copied = await copyCredential(page, context, request, system);
  expect(await copied.callApi('dragons')).toBe(200);

  await page.getByTestId('logout-button').click();

  await expect(page).toHaveURL(system.spaUrl);
  await expectSignedOut(page);
  await expectSignedOut(other);

  // Ended, not merely forgotten by the browser.
  await expectCredentialDead(request, system, copied, 'dragons');

  // The idp session is gone too: a reload does not sign the other tab back in.
  await other.reload();
  await expectSignedOut(other);
});

test('logout ends the credential even when the idp session has already ended', async ({
  page,
  context,
  request,
  system,
}) => {
  await signInThroughApp(page, system, demo.admin);
  const copied = await copyCredential(page, context, request, system);
  expect(await copied.callApi('orders')).toBe(200);
  // The idp's session ends on its own (idle timeout, cookies cleared) while the app is signed in.
  await context.clearCookies({ name: 'warden_session' });

  await page.getByTestId('logout-button').click();

  await expect(page).toHaveURL(system.spaUrl);
  await expectSignedOut(page);
  await expectCredentialDead(request, system, copied, 'orders');
});
