import { expect, test } from '@playwright/test';
import { expectDragons, expectSignedIn, openSignedOut } from './support/app.js';
import { newAccount, signUpOnHostedPage } from './support/hosted-pages.js';
import { recordNavigations } from './support/navigation-log.js';
import { saveScreenshot } from './support/screenshots.js';
import { idpUrl, spaUrl } from './support/system.js';

test('a new user signs up on the hosted page and sees the dragons, with no consent screen', async ({
  page,
}) => {
  const visited = recordNavigations(page);
  const account = newAccount();
  await openSignedOut(page);
  await page.getByTestId('login-button').click();
  await signUpOnHostedPage(page, account);

  await expectSignedIn(page, account.name);
  await expect(page.getByTestId('greeting')).toContainText(account.name);
  await expectDragons(page);
  await expect(page).toHaveURL(spaUrl);
  // The Dragons app is first-party: the idp never asked the user to approve it.
  expect(visited.filter((url) => url.startsWith(`${idpUrl}u/consent`))).toEqual([]);
  expect(visited.some((url) => url.startsWith(`${idpUrl}u/signup`))).toBe(true);
  await saveScreenshot(page, 'home');
});
