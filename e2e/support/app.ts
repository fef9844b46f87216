import { type BrowserContext, expect, type Page } from '@playwright/test';
import { signInOnHostedPage, signUpOnHostedPage } from './hosted-pages.js';
import { type Account, type System, sessionCookieName } from './system.js';

/** Opens the Dragons app and waits until it has settled signed out (after its silent sign-in attempt). */
export async function openSignedOut(page: Page, system: System): Promise<void> {
  await page.goto(system.spaUrl);
  await expect(page.getByTestId('login-button')).toBeVisible();
  await expect(page.getByTestId('signed-out')).toBeVisible();
  await expect(page.getByTestId('auth-mode')).toHaveAttribute('data-mode', system.mode);
}

/** Waits until the app shows `name` signed in, on whatever page it is. */
export async function expectSignedIn(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('user-name')).toHaveText(name);
  await expect(page.getByTestId('logout-button')).toBeVisible();
}

/** Waits until the app shows the signed-out state. */
export async function expectSignedOut(page: Page): Promise<void> {
  await expect(page.getByTestId('login-button')).toBeVisible();
  await expect(page.getByTestId('user-name')).toHaveCount(0);
}

/** Signs in from the app's home page through the hosted login, and waits for the greeting. */
export async function signInThroughApp(page: Page, system: System, account: Account): Promise<void> {
  await openSignedOut(page, system);
  await page.getByTestId('login-button').click();
  await signInOnHostedPage(page, system, account);
  await expectSignedIn(page, account.name);
  await expect(page.getByTestId('greeting')).toContainText(account.name);
}

/** Signs a new user up from the app's home page through the hosted sign-up, and waits for the greeting. */
export async function signUpThroughApp(page: Page, system: System, account: Account): Promise<void> {
  await openSignedOut(page, system);
  await page.getByTestId('login-button').click();
  await signUpOnHostedPage(page, system, account);
  await expectSignedIn(page, account.name);
  await expect(page.getByTestId('greeting')).toContainText(account.name);
}

/** The signed-in user's access token as the profile page shows it (`access-token-raw`; token mode). */
export async function readAccessToken(page: Page): Promise<string> {
  await page.getByTestId('nav-profile').click();
  await expect(page.getByTestId('profile-page')).toBeVisible();
  const raw = page.getByTestId('access-token-raw');
  await expect(raw).toHaveText(/^\s*ey[\w-]+\.[\w-]+\.[\w-]+\s*$/);
  return ((await raw.textContent()) ?? '').trim();
}

/**
 * The value of the app's session cookie in `context` (cookie mode), as an attacker who copied it
 * would hold it; checks on the way that no script can read it (HttpOnly).
 */
export async function copySessionCookie(context: BrowserContext, system: System): Promise<string> {
  const cookies = await context.cookies(system.spaUrl);
  const session = cookies.find((cookie) => cookie.name === sessionCookieName);
  expect(session, `${sessionCookieName} is set`).toBeDefined();
  expect(session?.httpOnly).toBe(true);
  return session?.value ?? '';
}

/** The home page lists the dragons the API returned (and no error). */
export async function expectDragons(page: Page): Promise<void> {
  await expect(page.getByTestId('dragons-list')).toBeVisible();
  await expect(page.getByTestId('dragon-item').filter({ hasText: 'Smaug' })).toHaveCount(1);
  await expect(page.getByTestId('dragons-error')).toHaveCount(0);
}
