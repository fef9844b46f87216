import { expect, type Page } from '@playwright/test';
import type { Account, System } from './system.js';

/** The idp's hosted sign-in page (`/u/login`) is showing. */
export async function expectLoginPage(page: Page, system: System): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${system.idpUrl}u/login`));
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
}

/** Fills the hosted sign-in form (fields `login` and `password`) and continues. */
export async function signInOnHostedPage(
  page: Page,
  system: System,
  account: Pick<Account, 'email' | 'password'>,
): Promise<void> {
  await expectLoginPage(page, system);
  await page.getByLabel('Email or username').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** From the hosted sign-in page, follows "Create one" and submits the sign-up form. */
export async function signUpOnHostedPage(page: Page, system: System, account: Account): Promise<void> {
  await expectLoginPage(page, system);
  await page.getByRole('link', { name: 'Create one' }).click();
  await expect(page).toHaveURL(new RegExp(`^${system.idpUrl}u/signup`));
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** A new account nobody has used: unique per call. */
export function newAccount(): Account {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { email: `rider-${id}@example.com`, password: `dragon-rider-${id}`, name: `Rider ${id}` };
}
