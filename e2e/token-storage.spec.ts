import { expect, type Page, test } from '@playwright/test';
import { expectDragons, readAccessToken, signInThroughApp } from './support/app.js';
import { demo, idpUrl } from './support/system.js';

/** Every value of localStorage and sessionStorage on the page's origin. */
function storedValues(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const values: string[] = [];
    for (const storage of [localStorage, sessionStorage]) {
      for (let index = 0; index < storage.length; index += 1) {
        const key = storage.key(index);
        if (key !== null) values.push(`${key}=${storage.getItem(key) ?? ''}`);
      }
    }
    return values;
  });
}

const jwtShape = /ey[\w-]{8,}\.[\w-]{8,}\.[\w-]*/;
/** Refresh tokens (and code verifiers) are 32 random bytes or more in base64url: 43+ characters. */
const opaqueTokenShape = /[\w-]{40,}/;

test('the default token mode leaves no token in web storage or in a script-readable cookie', async ({
  page,
  context,
}) => {
  // The tokens the app was given, as the idp sent them.
  const issued: { access_token?: string; refresh_token?: string; id_token?: string }[] = [];
  page.on('response', async (response) => {
    if (response.url() === `${idpUrl}oauth/token` && response.ok()) issued.push(await response.json());
  });
  await signInThroughApp(page, demo.user);
  await expectDragons(page);
  const shown = await readAccessToken(page);
  // A reload signs in again silently: the same check covers what that round trip leaves behind.
  await page.reload();
  await expect(page.getByTestId('profile-page')).toBeVisible();

  const secrets = [
    shown,
    ...issued.flatMap((body) => [body.access_token, body.refresh_token, body.id_token]),
  ].filter((value): value is string => typeof value === 'string' && value.length > 0);
  expect(issued.some((body) => typeof body.refresh_token === 'string')).toBe(true);

  const stored = await storedValues(page);
  for (const value of stored) {
    expect(value, 'a stored value looks like a JWT').not.toMatch(jwtShape);
    expect(value, 'a stored value looks like a refresh token').not.toMatch(opaqueTokenShape);
    for (const secret of secrets) expect(value.includes(secret), 'a token is in web storage').toBe(false);
  }

  const readable = (await context.cookies()).filter((cookie) => !cookie.httpOnly);
  const documentCookie = await page.evaluate(() => document.cookie);
  for (const value of [documentCookie, ...readable.map((cookie) => `${cookie.name}=${cookie.value}`)]) {
    expect(value, 'a script-readable cookie looks like a JWT').not.toMatch(jwtShape);
    for (const secret of secrets)
      expect(value.includes(secret), 'a token is in a readable cookie').toBe(false);
  }
});
