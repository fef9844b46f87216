import type { Browser, Page } from '@playwright/test';
import { bffUserInPage, fetchStatusInPage } from './support/api.js';
import {
  expectDragons,
  expectSignedIn,
  expectSignedOut,
  signInThroughApp,
  signUpThroughApp,
} from './support/app.js';
import { expectLoginPage, newAccount } from './support/hosted-pages.js';
import type { Account, System } from './support/system.js';
import { expect, test } from './support/test.js';

// Cookie mode only (playwright.config.ts): the user's sessions live on the app's server, so one
// browser can end another's. Each test signs up a new user, so only its own two browsers hold sessions.

/** A second device: its own browser context (cookies, storage), signed in as the user with the password. */
async function signInOnAnotherDevice(browser: Browser, system: System, account: Account): Promise<Page> {
  const device = await browser.newContext();
  const page = await device.newPage();
  await signInThroughApp(page, system, account);
  await expectDragons(page);
  return page;
}

/** The other device's session is gone: its next API call fails, the server says signed out, and signing in asks for the password. */
async function expectDeviceSignedOut(device: Page, system: System): Promise<void> {
  expect(await fetchStatusInPage(device, '/api/dragons')).toBe(401);
  expect(await bffUserInPage(device)).toEqual({ isAuthenticated: false });
  await device.reload();
  await expectSignedOut(device);
  await device.getByTestId('login-button').click();
  await expectLoginPage(device, system);
}

test('"log out everywhere" in one browser ends the session of another browser', async ({
  page,
  browser,
  system,
}) => {
  const account = newAccount();
  await signUpThroughApp(page, system, account);
  const device = await signInOnAnotherDevice(browser, system, account);
  try {
    await page.getByTestId('nav-profile').click();
    await expect(page.getByTestId('session-item')).toHaveCount(2);
    await expect(page.locator('[data-testid="session-item"][data-current="true"]')).toHaveCount(1);

    await page.getByTestId('logout-everywhere').click();

    await expect(page).toHaveURL(system.spaUrl);
    await expectSignedOut(page);
    await expectDeviceSignedOut(device, system);
  } finally {
    await device.context().close();
  }
});

test('"sign out other devices" ends the other browser\'s session and keeps this one', async ({
  page,
  browser,
  system,
}) => {
  const account = newAccount();
  await signUpThroughApp(page, system, account);
  const device = await signInOnAnotherDevice(browser, system, account);
  try {
    await page.getByTestId('nav-profile').click();
    await expect(page.getByTestId('session-item')).toHaveCount(2);

    await page.getByTestId('sign-out-others').click();

    await expect(page.getByTestId('sessions-message')).toHaveText('One other session ended.');
    await expect(page.getByTestId('session-item')).toHaveCount(1);
    await expect(page.getByTestId('sessions-error')).toHaveCount(0);
    expect(await fetchStatusInPage(device, '/api/dragons')).toBe(401);
    expect(await bffUserInPage(device)).toEqual({ isAuthenticated: false });
    await page.getByTestId('nav-home').click();
    await expectSignedIn(page, account.name);
    await expectDragons(page);
  } finally {
    await device.context().close();
  }
});
