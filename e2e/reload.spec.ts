import { expectDragons, expectSignedIn, signInThroughApp } from './support/app.js';
import { recordNavigations } from './support/navigation-log.js';
import { demo } from './support/system.js';
import { expect, test } from './support/test.js';

test('a page reload keeps the user signed in without typing the password again', async ({ page, system }) => {
  await signInThroughApp(page, system, demo.user);
  const visited = recordNavigations(page);

  await page.reload();

  await expectSignedIn(page, demo.user.name);
  await expectDragons(page);
  expect(visited.filter((url) => url.startsWith(`${system.idpUrl}u/login`))).toEqual([]);
});
