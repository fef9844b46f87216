import { expect, test } from '@playwright/test';
import { expectSignedIn } from './support/app.js';
import { expectLoginPage, signInOnHostedPage } from './support/hosted-pages.js';
import { saveScreenshot } from './support/screenshots.js';
import { demo, spaUrl } from './support/system.js';

test('the profile guard sends a signed-out user to sign in, and back to /profile after', async ({ page }) => {
  await page.goto(`${spaUrl}profile`);
  await expectLoginPage(page);
  await expect(page.getByText('to continue to Dragons')).toBeVisible();
  await saveScreenshot(page, 'login');
  await signInOnHostedPage(page, demo.admin);

  await expect(page).toHaveURL(`${spaUrl}profile`);
  await expect(page.getByTestId('profile-page')).toBeVisible();
  await expectSignedIn(page, demo.admin.name);
  await expect(page.getByTestId('profile-name')).toHaveText(demo.admin.name);
  await expect(page.getByTestId('profile-email')).toHaveText(demo.admin.email);
  await expect(page.getByTestId('access-token-size')).toHaveText(/\d+ bytes/);
  await expect(page.getByTestId('access-token-claims')).toContainText('"roles"');
  await saveScreenshot(page, 'profile');
});
