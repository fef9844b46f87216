import type { Page } from '@playwright/test';
import { consoleSetupLink, consoleUrl } from './support/console.js';
import { expectLoginPage, signInOnHostedPage } from './support/hosted-pages.js';
import { saveScreenshot } from './support/screenshots.js';
import { demo } from './support/system.js';
import { expect, test } from './support/test.js';

/**
 * The console the idp serves at `<issuer>console/`: its first administrator made from the setup
 * link `warden console setup-link` prints, the Applications pages, and the page a user who is not
 * an administrator sees. The console does not depend on the Dragons app's mode: it runs in the
 * token project only.
 */
test.skip(({ mode }) => mode !== 'token', "the console is the idp's, whatever the Dragons app's mode");

const administrator = {
  email: 'root@warden.example',
  name: 'Wanda Warden',
  password: 'console-root-password',
};

/** The Dragons-like single-page app the administrator registers. */
const spa = {
  name: 'Dragons from the console',
  callback: 'http://localhost:4200/callback',
  origin: 'http://localhost:4200',
  logout: 'http://localhost:4200/',
};

/** The page has no horizontal scroll at its width (nothing wider than the phone). */
async function expectNoSideScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.viewport);
}

/** A full-page screenshot from the top (the sticky header stays where it belongs). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, 'token', name);
}

async function openApplication(page: Page, name: string): Promise<void> {
  await page.getByTestId('nav-applications').click();
  await page.getByTestId('applications-list').getByRole('link', { name, exact: true }).click();
  await expect(page.getByTestId('application-name')).toHaveText(name);
}

async function createApplication(
  page: Page,
  fields: { name: string; type: string; callback?: string; origin?: string; logout?: string },
): Promise<void> {
  await page.getByTestId('create-application').click();
  await expect(page.getByRole('heading', { name: 'Create application' })).toBeVisible();
  await page.getByLabel('Name').fill(fields.name);
  await page.getByRole('radio', { name: fields.type }).check();
  if (fields.callback) await page.getByLabel('Allowed Callback URLs').fill(fields.callback);
  if (fields.origin) await page.getByLabel('Allowed Web Origins').fill(fields.origin);
  if (fields.logout) await page.getByLabel('Allowed Logout URLs').fill(fields.logout);
  await page.getByTestId('submit-create').click();
  await expect(page.getByTestId('application-name')).toHaveText(fields.name);
}

test('the first administrator sets the console up from the printed link and manages applications', async ({
  page,
  system,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const link = await consoleSetupLink(system);
  expect(link).toMatch(new RegExp(`^${consoleUrl(system)}setup\\?token=`));

  await page.goto(link!);
  await expect(page.getByRole('heading', { name: 'Create the first administrator' })).toBeVisible();
  await screenshot(page, 'console-setup');
  await page.getByLabel('Email').fill(administrator.email);
  await page.getByLabel('Name').fill(administrator.name);
  await page.getByLabel('Password').fill(administrator.password);
  await page.getByRole('button', { name: 'Create administrator' }).click();

  // Signed in by the setup, the console opens on its applications without asking again.
  await expect(page).toHaveURL(consoleUrl(system, 'applications'));
  await expect(page.getByTestId('user-name')).toHaveText(administrator.name);
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link')).toHaveText([
    'Applications',
  ]);
  const list = page.getByTestId('applications-list');
  await expect(
    list.getByRole('row', { name: /Dragons.*Single Page Application.*dragons-spa/ }),
  ).toBeVisible();
  await screenshot(page, 'console-applications');
  // The link has done its work.
  expect(await consoleSetupLink(system)).toBeNull();

  // The API's refusal shows next to the field it names.
  await page.getByTestId('create-application').click();
  await page.getByLabel('Name').fill(spa.name);
  await page.getByLabel('Allowed Callback URLs').fill('dragons/callback');
  await page.getByTestId('submit-create').click();
  await expect(page.getByTestId('error-callbacks')).toContainText('callbacks');
  await expect(page.getByLabel('Allowed Callback URLs')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Allowed Callback URLs')).toBeFocused();
  await expect(page.getByTestId('error-name')).toHaveCount(0);
  await screenshot(page, 'console-create-application-error');
  await page.getByRole('link', { name: 'Cancel' }).click();

  // The article's step 1: the Dragons single-page app, its callback and web origin.
  await createApplication(page, { ...spa, type: 'Single Page Application' });
  await expect(page.getByTestId('application-type')).toHaveText('Single Page Application');
  await expect(page.getByTestId('secret-once')).toHaveCount(0);
  await expect(page.getByTestId('rotate-secret')).toHaveCount(0);
  await expect(page.getByLabel('Allowed Callback URLs')).toHaveValue(spa.callback);
  await expect(page.getByLabel('Allowed Web Origins')).toHaveValue(spa.origin);
  await expect(page.getByLabel('Allowed Logout URLs')).toHaveValue(spa.logout);
  await screenshot(page, 'console-application');

  await page.getByTestId('nav-applications').click();
  await expect(
    list.getByRole('row', { name: new RegExp(`${spa.name}.*Single Page Application`) }),
  ).toBeVisible();

  // Edit: a new name and a second callback, kept after a reload.
  await openApplication(page, spa.name);
  const renamed = `${spa.name} (edited)`;
  await page.getByLabel('Name').fill(renamed);
  await page.getByLabel('Allowed Callback URLs').fill(`${spa.callback}\nhttp://localhost:4201/callback`);
  await page.getByTestId('save-application').click();
  await expect(page.getByTestId('save-status')).toHaveText('Changes saved.');
  await expect(page.getByTestId('application-name')).toHaveText(renamed);
  await page.reload();
  await expect(page.getByTestId('application-name')).toHaveText(renamed);
  await expect(page.getByLabel('Allowed Callback URLs')).toHaveValue(
    `${spa.callback}\nhttp://localhost:4201/callback`,
  );

  // A machine-to-machine app: no URLs to give, its secret shown once.
  await page.getByTestId('nav-applications').click();
  await createApplication(page, { name: 'Dragon feeder', type: 'Machine to Machine' });
  const secretPanel = page.getByTestId('secret-once');
  await expect(secretPanel).toContainText('it will not be shown again');
  const secret = await page.getByTestId('client-secret').inputValue();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  await expect(page.getByLabel('Allowed Callback URLs')).toHaveCount(0);
  await screenshot(page, 'console-client-secret');
  await page.getByTestId('secret-done').click();
  await expect(secretPanel).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('application-name')).toHaveText('Dragon feeder');
  await expect(page.getByTestId('secret-once')).toHaveCount(0);

  // Rotating asks first, then shows the new secret once.
  await page.getByTestId('rotate-secret').click();
  const rotate = page.getByTestId('rotate-dialog');
  await expect(rotate.getByRole('heading', { name: 'Rotate the secret of Dragon feeder?' })).toBeVisible();
  await expect(rotate.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await rotate.getByTestId('confirm-button').click();
  await expect(page.getByTestId('secret-once')).toContainText('The new client secret');
  expect(await page.getByTestId('client-secret').inputValue()).not.toBe(secret);

  // Deleting names the application and asks first: Escape keeps it, the confirmation deletes it.
  await page.getByTestId('delete-application').click();
  const remove = page.getByTestId('delete-dialog');
  await expect(remove.getByRole('heading', { name: 'Delete the application Dragon feeder?' })).toBeVisible();
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await screenshot(page, 'console-delete-dialog');
  await page.keyboard.press('Escape');
  await expect(remove).toBeHidden();
  await expect(page.getByTestId('application-name')).toHaveText('Dragon feeder');
  await page.getByTestId('delete-application').click();
  await remove.getByTestId('confirm-button').click();
  await expect(page).toHaveURL(consoleUrl(system, 'applications'));
  await expect(page.getByTestId('notice')).toHaveText('The application Dragon feeder is deleted.');
  await expect(list.getByRole('link', { name: 'Dragon feeder', exact: true })).toHaveCount(0);
  await expect(list.getByRole('link', { name: renamed, exact: true })).toBeVisible();

  // At phone width: the same pages, nothing wider than the screen.
  await page.setViewportSize({ width: 360, height: 780 });
  await expect(list.getByRole('link', { name: renamed, exact: true })).toBeVisible();
  await expectNoSideScroll(page);
  await screenshot(page, 'console-applications-phone');
  await openApplication(page, renamed);
  await expectNoSideScroll(page);
  await screenshot(page, 'console-application-phone');
});

test('a signed-in user who is not an administrator of Warden is told so, and can sign out', async ({
  page,
  system,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(consoleUrl(system));
  await signInOnHostedPage(page, system, demo.user);

  const notice = page.getByTestId('not-administrator');
  await expect(notice.getByRole('heading', { name: 'You are not an administrator of Warden' })).toBeVisible();
  await expect(notice).toContainText(demo.user.name);
  await expect(notice).toContainText('warden:admin');
  await expect(page.getByTestId('nav-applications')).toHaveCount(0);
  await screenshot(page, 'console-not-administrator');

  await notice.getByRole('button', { name: 'Sign out' }).click();
  // Signed out of Warden: the console asks for a sign-in again.
  await expectLoginPage(page, system);
});
