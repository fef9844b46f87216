import { expect, type Page } from '@playwright/test';
import { signInOnHostedPage } from './hosted-pages.js';
import { type Account, spaUrl } from './system.js';

/** Opens the Dragons app and waits until it has settled signed out (after its silent sign-in attempt). */
export async function openSignedOut(page: Page): Promise<void> {
  await page.goto(spaUrl);
  await expect(page.getByTestId('login-button')).toBeVisible();
  await expect(page.getByTestId('signed-out')).toBeVisible();
}

/** Waits until the app shows `name` signed in, on whatever page it is. */
export async function expectSignedIn(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('user-name')).toHaveText(name);
  await expect(page.getByTestId('logout-button')).toBeVisible();
}

/** Signs in from the app's home page through the hosted login, and waits for the greeting. */
export async function signInThroughApp(page: Page, account: Account): Promise<void> {
  await openSignedOut(page);
  await page.getByTestId('login-button').click();
  await signInOnHostedPage(page, account);
  await expectSignedIn(page, account.name);
  await expect(page.getByTestId('greeting')).toContainText(account.name);
}

/** The signed-in user's access token as the profile page shows it (`access-token-raw`). */
export async function readAccessToken(page: Page): Promise<string> {
  await page.getByTestId('nav-profile').click();
  await expect(page.getByTestId('profile-page')).toBeVisible();
  const raw = page.getByTestId('access-token-raw');
  await expect(raw).toHaveText(/^\s*ey[\w-]+\.[\w-]+\.[\w-]+\s*$/);
  return ((await raw.textContent()) ?? '').trim();
}

/** The home page lists the dragons the API returned (and no error). */
export async function expectDragons(page: Page): Promise<void> {
  await expect(page.getByTestId('dragons-list')).toBeVisible();
  await expect(page.getByTestId('dragon-item').filter({ hasText: 'Smaug' })).toHaveCount(1);
  await expect(page.getByTestId('dragons-error')).toHaveCount(0);
}
