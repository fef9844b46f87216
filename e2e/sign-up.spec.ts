import { expectDragons, expectSignedIn, openSignedOut } from './support/app.js';
import { newAccount, signUpOnHostedPage } from './support/hosted-pages.js';
import { recordNavigations } from './support/navigation-log.js';
import { saveScreenshot } from './support/screenshots.js';
import { expect, test } from './support/test.js';

test('a new user signs up on the hosted page and sees the dragons, with no consent screen', async ({
  page,
  system,
}) => {
  const visited = recordNavigations(page);
  const account = newAccount();
  await openSignedOut(page, system);
  await page.getByTestId('login-button').click();
  await signUpOnHostedPage(page, system, account);

  await expectSignedIn(page, account.name);
  await expect(page.getByTestId('greeting')).toContainText(account.name);
  await expectDragons(page);
  await expect(page).toHaveURL(system.spaUrl);
  // The Dragons app is first-party: the idp never asked the user to approve it.
  expect(visited.filter((url) => url.startsWith(`${system.idpUrl}u/consent`))).toEqual([]);
  expect(visited.some((url) => url.startsWith(`${system.idpUrl}u/signup`))).toBe(true);
  await saveScreenshot(page, system.mode, 'home');
});
