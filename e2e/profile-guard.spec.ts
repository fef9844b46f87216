import { expectSignedIn } from './support/app.js';
import { expectLoginPage, signInOnHostedPage } from './support/hosted-pages.js';
import { saveScreenshot } from './support/screenshots.js';
import { demo } from './support/system.js';
import { expect, test } from './support/test.js';

test('the profile guard sends a signed-out user to sign in, and back to /profile after', async ({
  page,
  system,
}) => {
  await page.goto(`${system.spaUrl}profile`);
  await expectLoginPage(page, system);
  await expect(page.getByText('to continue to Dragons')).toBeVisible();
  await saveScreenshot(page, system.mode, 'login');
  await signInOnHostedPage(page, system, demo.admin);

  await expect(page).toHaveURL(`${system.spaUrl}profile`);
  await expect(page.getByTestId('profile-page')).toBeVisible();
  await expectSignedIn(page, demo.admin.name);
  await expect(page.getByTestId('profile-name')).toHaveText(demo.admin.name);
  await expect(page.getByTestId('profile-email')).toHaveText(demo.admin.email);
  if (system.mode === 'token') {
    await expect(page.getByTestId('access-token-size')).toHaveText(/\d+ bytes/);
    await expect(page.getByTestId('access-token-claims')).toContainText('"roles"');
  } else {
    // No token to take apart: what the server's token grants, and this browser's session.
    await expect(page.getByTestId('no-token-notice')).toBeVisible();
    await expect(page.getByTestId('access-token-raw')).toHaveCount(0);
    await expect(page.getByTestId('grant-roles')).toContainText('admin');
    await expect(page.getByTestId('grant-scope')).toContainText('read:orders');
    await expect(page.getByTestId('grant-expires')).toHaveText(/\d\d:\d\d:\d\d/);
    await expect(page.getByTestId('session-item')).toHaveCount(1);
    await expect(page.getByTestId('session-item')).toHaveAttribute('data-current', 'true');
    await expect(page.getByTestId('session-current')).toBeVisible();
  }
  await saveScreenshot(page, system.mode, 'profile');
});
