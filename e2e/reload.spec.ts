import { expect, test } from '@playwright/test';
import { expectDragons, expectSignedIn, signInThroughApp } from './support/app.js';
import { recordNavigations } from './support/navigation-log.js';
import { demo, idpUrl } from './support/system.js';

test('a page reload keeps the user signed in without typing the password again', async ({ page }) => {
  await signInThroughApp(page, demo.user);
  const visited = recordNavigations(page);

  await page.reload();

  await expectSignedIn(page, demo.user.name);
  await expectDragons(page);
  expect(visited.filter((url) => url.startsWith(`${idpUrl}u/login`))).toEqual([]);
});
