import type { BrowserContext, Page, Request } from '@playwright/test';
import { expectDragons, readAccessToken, signInThroughApp } from './support/app.js';
import { demo, sessionCookieName } from './support/system.js';
import { expect, test } from './support/test.js';

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

/** What script on the page can read of the cookies: `document.cookie` and every non-HttpOnly cookie. */
async function readableCookies(page: Page, context: BrowserContext): Promise<string[]> {
  const readable = (await context.cookies()).filter((cookie) => !cookie.httpOnly);
  const documentCookie = await page.evaluate(() => document.cookie);
  return [documentCookie, ...readable.map((cookie) => `${cookie.name}=${cookie.value}`)];
}

const jwtShape = /ey[\w-]{8,}\.[\w-]{8,}\.[\w-]*/;
/** Refresh tokens, session ids (and code verifiers) are 32 random bytes or more in base64url: 43+ characters. */
const opaqueTokenShape = /[\w-]{40,}/;

/** No value looks like a token, and none holds one of `secrets`. */
function expectNoSecret(values: string[], where: string, secrets: string[]): void {
  for (const value of values) {
    expect(value, `${where}: a value looks like a JWT`).not.toMatch(jwtShape);
    expect(value, `${where}: a value looks like a refresh token or session id`).not.toMatch(opaqueTokenShape);
    for (const secret of secrets) expect(value.includes(secret), `${where}: a secret is there`).toBe(false);
  }
}

test('no token is left in web storage or in a script-readable cookie', async ({ page, context, system }) => {
  // The tokens the page was given, as the idp sent them (none in cookie mode), and every request
  // that left the browser with an Authorization header.
  const issued: { access_token?: string; refresh_token?: string; id_token?: string }[] = [];
  page.on('response', async (response) => {
    if (response.url() === `${system.idpUrl}oauth/token` && response.ok()) issued.push(await response.json());
  });
  const authorized: Promise<string | undefined>[] = [];
  const authorizationOf = async (request: Request) =>
    (await request.allHeaders().catch(() => ({}) as Record<string, string>)).authorization === undefined
      ? undefined
      : request.url();
  context.on('request', (request) => {
    authorized.push(authorizationOf(request));
  });

  await signInThroughApp(page, system, demo.user);
  await expectDragons(page);
  const secrets: string[] = [];
  if (system.mode === 'token') {
    secrets.push(await readAccessToken(page));
  } else {
    await page.getByTestId('nav-profile').click();
    await expect(page.getByTestId('no-token-notice')).toBeVisible();
    await expect(page.getByTestId('access-token-raw')).toHaveCount(0);
    const cookie = (await context.cookies(system.spaUrl)).find(({ name }) => name === sessionCookieName);
    expect(cookie?.httpOnly, `${sessionCookieName} is HttpOnly`).toBe(true);
    secrets.push(cookie?.value ?? '');
  }
  // A reload signs in again (silently, or from the server's session): the same checks cover what
  // that leaves behind.
  await page.reload();
  await expect(page.getByTestId('profile-page')).toBeVisible();

  secrets.push(
    ...issued
      .flatMap((body) => [body.access_token, body.refresh_token, body.id_token])
      .filter((value): value is string => typeof value === 'string' && value.length > 0),
  );
  if (system.mode === 'token') {
    expect(issued.some((body) => typeof body.refresh_token === 'string')).toBe(true);
  } else {
    expect(issued, 'the page got tokens from the idp').toEqual([]);
  }
  expectNoSecret(await storedValues(page), 'web storage', secrets);
  expectNoSecret(await readableCookies(page, context), 'readable cookies', secrets);

  if (system.mode === 'cookie') {
    const withAuthorization = (await Promise.all(authorized)).filter((url) => url !== undefined);
    expect(authorized.length).toBeGreaterThan(0);
    expect(withAuthorization, 'requests that left the browser with an Authorization header').toEqual([]);
  }
});
