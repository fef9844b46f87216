import { expectDragons, expectSignedIn, expectSignedOut, openSignedOut } from './support/app.js';
import { expectLoginPage, signInOnHostedPage } from './support/hosted-pages.js';
import { recordNavigations } from './support/navigation-log.js';
import { saveScreenshot } from './support/screenshots.js';
import { demo } from './support/system.js';
import { expect, test } from './support/test.js';

/**
 * Signing in through an upstream identity provider: the demo's Dragon Riders Guild, another Warden
 * idp registered as the OpenID Connect connection `guild`. The app sees Warden's tokens (or, in
 * cookie mode, Warden's session through its server) for a user the guild vouched for.
 */
test('signs in with the Dragon Riders Guild, signs out, and signs in again on the guild session alone', async ({
  page,
  system,
}) => {
  const visited = recordNavigations(page);
  await openSignedOut(page, system);
  await page.getByTestId('login-button').click();
  await expectLoginPage(page, system);
  const guildButton = page.getByRole('link', { name: 'Continue with Dragon Riders Guild' });
  await expect(guildButton).toBeVisible();
  await saveScreenshot(page, system.mode, 'login-connections');
  await guildButton.click();

  // The guild's own hosted login: the rider's password is typed there, never at Warden.
  await signInOnHostedPage(page, { ...system, idpUrl: system.guildUrl }, demo.rider);
  await expectSignedIn(page, demo.rider.name);
  await expect(page.getByTestId('greeting')).toContainText(demo.rider.name);
  await expectDragons(page);
  expect(visited.some((url) => url.startsWith(`${system.idpUrl}login/callback`))).toBe(true);

  await page.getByTestId('logout-button').click();
  await expectSignedOut(page);

  // Warden's session is gone, the guild's is not: one click, and no password asked anywhere.
  const before = visited.length;
  await page.getByTestId('login-button').click();
  await expectLoginPage(page, system);
  await guildButton.click();
  await expectSignedIn(page, demo.rider.name);
  const again = visited.slice(before);
  expect(again.some((url) => url.startsWith(`${system.guildUrl}u/login`))).toBe(false);
  expect(again.some((url) => url.startsWith(`${system.guildUrl}authorize`))).toBe(true);
});

test("the account page shows the rider's guild account, the only way they sign in", async ({
  page,
  system,
}) => {
  await openSignedOut(page, system);
  await page.getByTestId('login-button').click();
  await page.getByRole('link', { name: 'Continue with Dragon Riders Guild' }).click();
  await signInOnHostedPage(page, { ...system, idpUrl: system.guildUrl }, demo.rider);
  await expectSignedIn(page, demo.rider.name);

  await page.goto(`${system.idpUrl}account`);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
  await expect(page.getByText(`Signed in as ${demo.rider.name}`)).toBeVisible();
  const ways = page.getByRole('list', { name: 'Ways you sign in' });
  await expect(ways).toContainText('Dragon Riders Guild');
  await expect(ways).toContainText(demo.rider.email);
  // The only way to sign in cannot be unlinked.
  await expect(page.getByRole('button', { name: /Unlink/ })).toHaveCount(0);
  await saveScreenshot(page, system.mode, 'account');
});
