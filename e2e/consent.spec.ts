import type { Page } from '@playwright/test';
import { computeCodeChallenge, createCodeVerifier, randomToken } from '@warden/protocol/core';
import { callApi } from './support/api.js';
import { signInOnHostedPage } from './support/hosted-pages.js';
import { type OtherSite, startOtherSite } from './support/other-site.js';
import { saveScreenshot } from './support/screenshots.js';
import { apiAudience, demo, fanSite } from './support/system.js';
import { expect, test } from './support/test.js';

/** An authorization request of the third-party fan site (code + PKCE), as its own code would build it. */
async function fanSiteAuthorization(idpUrl: string) {
  const verifier = createCodeVerifier();
  const state = randomToken();
  const url = new URL('authorize', idpUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: fanSite.clientId,
    redirect_uri: fanSite.callback,
    scope: 'openid profile read:dragons',
    audience: apiAudience,
    state,
    code_challenge: await computeCodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  return { url: url.href, verifier, state };
}

/** Waits until the browser is back at the fan site's callback; returns that address. */
async function landOnFanSite(page: Page): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(`${fanSite.callback}?`));
  await expect(page.getByRole('heading', { name: 'Dragon Fan Site', exact: true })).toBeVisible();
  return new URL(page.url());
}

let fanSiteServer: OtherSite | undefined;
test.beforeAll(async () => {
  fanSiteServer = await startOtherSite(fanSite.origin, fanSite.name);
});
test.afterAll(async () => {
  await fanSiteServer?.close();
});

test('a third-party app gets the consent screen, and its code buys a token the Dragons API accepts', async ({
  page,
  request,
  system,
}) => {
  const { idpUrl } = system;
  const first = await fanSiteAuthorization(idpUrl);
  await page.goto(first.url);
  await signInOnHostedPage(page, system, demo.user);

  await expect(page).toHaveURL(new RegExp(`^${idpUrl}u/consent`));
  await expect(
    page.getByRole('heading', { name: `${fanSite.name} wants to access your Warden account` }),
  ).toBeVisible();
  await expect(page.getByText(`Signed in as ${demo.user.name}`)).toBeVisible();
  await expect(page.locator('.scope-name', { hasText: 'read:dragons' })).toBeVisible();
  await saveScreenshot(page, system.mode, 'consent');
  await page.getByRole('button', { name: 'Allow' }).click();

  const landed = await landOnFanSite(page);
  expect(`${landed.origin}${landed.pathname}`).toBe(fanSite.callback);
  expect(landed.searchParams.get('state')).toBe(first.state);
  expect(landed.searchParams.get('iss')).toBe(idpUrl);
  const code = landed.searchParams.get('code');
  expect(code).toBeTruthy();

  const tokenResponse = await request.post(new URL('oauth/token', idpUrl).href, {
    form: {
      grant_type: 'authorization_code',
      client_id: fanSite.clientId,
      redirect_uri: fanSite.callback,
      code: code ?? '',
      code_verifier: first.verifier,
    },
  });
  expect(tokenResponse.status()).toBe(200);
  const tokens = (await tokenResponse.json()) as { access_token: string; scope: string };
  expect(tokens.scope.split(' ')).toContain('read:dragons');
  const dragons = await callApi(request, system, 'dragons', tokens.access_token);
  expect(dragons.status()).toBe(200);

  // The consent is remembered: asking again for the same scopes goes straight back to the app.
  const again = await fanSiteAuthorization(idpUrl);
  await page.goto(again.url);
  const back = await landOnFanSite(page);
  expect(back.searchParams.get('state')).toBe(again.state);
  expect(back.searchParams.get('code')).toBeTruthy();
});
