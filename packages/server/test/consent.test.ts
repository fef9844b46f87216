import { describe, expect, it } from 'vitest';
import {
  authorizeAndSignIn,
  expectErrorPage,
  expectRedirectError,
  redirectParams,
  redirectTarget,
  spaRequest,
} from './browser-helpers.js';
import {
  apiId,
  Browser,
  hiddenFields,
  htmlText,
  issuer,
  password,
  spaCallback,
  useTestServer,
} from './harness.js';

const fansCallback = 'https://fans.example/callback';

const t = useTestServer({ scope: 'all' });

let serial = 0;
/** A user who has granted nothing yet. */
async function newUser(): Promise<string> {
  serial += 1;
  const email = `sam${serial}@example.com`;
  await t().admin.addUser({ email, password, name: `Samwise ${serial}` });
  return email;
}

/** The third-party fan site's request, with PKCE (it is a public client). */
function fanRequest(overrides: Record<string, string | undefined> = {}) {
  return spaRequest(t(), { client_id: t().thirdParty, redirect_uri: fansCallback, ...overrides });
}

function isConsentRedirect(response: Response): boolean {
  return (
    response.status === 303 && (response.headers.get('location') ?? '').startsWith(`${issuer}u/consent?`)
  );
}

/** Signs `email` in for the fan site and stops at the consent page. */
async function reachConsent(
  email: string,
  browser = new Browser(t()),
  overrides: Record<string, string | undefined> = {},
) {
  const request = await fanRequest(overrides);
  const response = await authorizeAndSignIn(browser, t(), request.url, email);
  expect(isConsentRedirect(response)).toBe(true);
  const page = await browser.get(response.headers.get('location')!);
  const html = await page.text();
  return { page, html, fields: hiddenFields(html), browser, request };
}

/** The scope names the consent page lists. */
function listedScopes(html: string): string[] {
  return [...html.matchAll(/<code class="scope-name">([^<]*)<\/code>/g)].map((match) => htmlText(match[1]!));
}

describe('consent for a third-party application', () => {
  it('shows who asks, who is signed in, and every requested scope; the page cannot be framed', async () => {
    const email = await newUser();
    const { page, html } = await reachConsent(email);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const text = htmlText(html);
    expect(text).toContain('Dragon Fan Site wants to access your Warden account');
    expect(text).toContain('Samwise');
    expect(text).toContain('Dragons API');
    expect(listedScopes(html)).toEqual(['openid', 'profile', 'email', 'offline_access', 'read:dragons']);
    expect(text).toContain('Read dragons');
    expect(html).toMatch(/name="decision" value="deny"/);
    expect(html).toMatch(/name="decision" value="allow"/);
  });

  it('sends access_denied (with state and iss) when the user denies', async () => {
    const email = await newUser();
    const { fields, browser, request } = await reachConsent(email);
    const response = await browser.post('/u/consent', { ...fields, decision: 'deny' });
    expectRedirectError(response, {
      error: 'access_denied',
      state: request.state,
      issuer,
      redirectUri: fansCallback,
    });
  });

  it('asks again after a denial: nothing was remembered', async () => {
    const email = await newUser();
    const first = await reachConsent(email);
    await first.browser.post('/u/consent', { ...first.fields, decision: 'deny' });
    const request = await fanRequest();
    expect(isConsentRedirect(await first.browser.get(request.url))).toBe(true);
  });

  it('sends a code when the user allows', async () => {
    const email = await newUser();
    const { fields, browser, request } = await reachConsent(email);
    const response = await browser.post('/u/consent', { ...fields, decision: 'allow' });
    expect(response.status).toBe(303);
    expect(redirectTarget(response)).toBe(fansCallback);
    const { query } = redirectParams(response);
    expect(query.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('state')).toBe(request.state);
    expect(query.get('iss')).toBe(issuer);
  });

  it('remembers the consent: the same scopes again need no consent page, even with prompt=none', async () => {
    const email = await newUser();
    const first = await reachConsent(email);
    await first.browser.post('/u/consent', { ...first.fields, decision: 'allow' });

    const again = await fanRequest();
    const response = await first.browser.get(again.url);
    expect(redirectTarget(response)).toBe(fansCallback);
    expect(redirectParams(response).query.get('code')).toBeTruthy();

    const fewer = await fanRequest({ scope: 'openid read:dragons', prompt: 'none' });
    const silent = await first.browser.get(fewer.url);
    expect(redirectParams(silent).query.get('code')).toBeTruthy();
  });

  it('remembers the consent across browsers (it belongs to the user, not the session)', async () => {
    const email = await newUser();
    const first = await reachConsent(email);
    await first.browser.post('/u/consent', { ...first.fields, decision: 'allow' });
    const request = await fanRequest();
    const response = await authorizeAndSignIn(new Browser(t()), t(), request.url, email);
    expect(redirectTarget(response)).toBe(fansCallback);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
  });

  it('asks again for an additional scope, listing it', async () => {
    const email = await newUser();
    const first = await reachConsent(email, new Browser(t()), {
      scope: 'openid profile',
      audience: undefined,
    });
    expect(listedScopes(first.html)).toEqual(['openid', 'profile']);
    await first.browser.post('/u/consent', { ...first.fields, decision: 'allow' });

    const more = await fanRequest({ scope: 'openid profile email', audience: undefined });
    const response = await first.browser.get(more.url);
    expect(isConsentRedirect(response)).toBe(true);
    const html = await (await first.browser.get(response.headers.get('location')!)).text();
    expect(listedScopes(html)).toContain('email');
  });

  it('asks again when the same scopes are for another API (the audience is part of the consent)', async () => {
    const otherApi = 'https://other.example/api';
    if (!(await t().server.context.storage.apis.get(otherApi))) {
      await t().admin.addApi({ identifier: otherApi, name: 'Other API', scopes: ['read:dragons'] });
    }
    const email = await newUser();
    const first = await reachConsent(email);
    await first.browser.post('/u/consent', { ...first.fields, decision: 'allow' });
    const request = await fanRequest({ audience: otherApi });
    expect(isConsentRedirect(await first.browser.get(request.url))).toBe(true);
  });

  it('shows the consent page again for prompt=consent', async () => {
    const email = await newUser();
    const first = await reachConsent(email);
    await first.browser.post('/u/consent', { ...first.fields, decision: 'allow' });
    const request = await fanRequest({ prompt: 'consent' });
    const response = await first.browser.get(request.url);
    expect(isConsentRedirect(response)).toBe(true);
    const page = await first.browser.get(response.headers.get('location')!);
    const allowed = await first.browser.post('/u/consent', {
      ...hiddenFields(await page.text()),
      decision: 'allow',
    });
    expect(redirectParams(allowed).query.get('code')).toBeTruthy();
  });

  it('answers prompt=none with consent_required when consent is needed', async () => {
    const email = await newUser();
    const browser = new Browser(t());
    const signedIn = await authorizeAndSignIn(browser, t(), (await spaRequest(t())).url, email);
    expect(redirectTarget(signedIn)).toBe(spaCallback);
    const request = await fanRequest({ prompt: 'none' });
    expectRedirectError(await browser.get(request.url), {
      error: 'consent_required',
      state: request.state,
      issuer,
      redirectUri: fansCallback,
    });
  });

  it('refuses a consent POST without the session CSRF token, and sends no code', async () => {
    const email = await newUser();
    const { fields, browser } = await reachConsent(email);
    const { csrf_token: _token, ...withoutToken } = fields;
    const response = await browser.post('/u/consent', { ...withoutToken, decision: 'allow' });
    await expectErrorPage(response, 403, /CSRF token/);
    // Nothing was granted: the next request still needs consent.
    const request = await fanRequest();
    expect(isConsentRedirect(await browser.get(request.url))).toBe(true);
  });

  it("refuses a consent POST with another session's CSRF token", async () => {
    const victim = await reachConsent(await newUser());
    const attacker = await reachConsent(await newUser());
    const response = await victim.browser.post('/u/consent', {
      ...victim.fields,
      csrf_token: attacker.fields.csrf_token!,
      decision: 'allow',
    });
    await expectErrorPage(response, 403);
  });

  it('refuses a cross-site consent POST', async () => {
    const { fields, browser } = await reachConsent(await newUser());
    const response = await browser.post(
      '/u/consent',
      { ...fields, decision: 'allow' },
      { origin: 'https://fans.example', 'sec-fetch-site': 'cross-site' },
    );
    await expectErrorPage(response, 403, /cross-site/);
  });

  it('sends the user to the login page when the consent form is posted without a session', async () => {
    const { fields } = await reachConsent(await newUser());
    const response = await new Browser(t()).post('/u/consent', { ...fields, decision: 'allow' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${issuer}u/login\\?`));
  });
});

describe('first-party applications', () => {
  it('never show the consent page, whatever the scopes', async () => {
    const email = await newUser();
    const browser = new Browser(t());
    const request = await spaRequest(t());
    const response = await authorizeAndSignIn(browser, t(), request.url, email);
    expect(redirectTarget(response)).toBe(spaCallback);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
    const forced = await spaRequest(t(), { prompt: 'consent' });
    const again = await browser.get(forced.url);
    expect(redirectTarget(again)).toBe(spaCallback);
    expect(redirectParams(again).query.get('code')).toBeTruthy();
  });
});

describe("an API that does not let first-party applications skip consent (Auth0's 'Allow Skipping User Consent' off)", () => {
  it('asks the users of a first-party app once for its scopes, then remembers; on again, never asks', async () => {
    await t().admin.updateApi(apiId, { skipConsent: false });
    try {
      const email = await newUser();
      const browser = new Browser(t());
      const request = await spaRequest(t());
      const asked = await authorizeAndSignIn(browser, t(), request.url, email);
      expect(isConsentRedirect(asked)).toBe(true);
      const page = await browser.get(asked.headers.get('location')!);
      const html = await page.text();
      expect(htmlText(html)).toContain('Dragons wants to access your Warden account');
      expect(listedScopes(html)).toContain('read:dragons');
      const allowed = await browser.post('/u/consent', { ...hiddenFields(html), decision: 'allow' });
      expect(redirectTarget(allowed)).toBe(spaCallback);
      expect(redirectParams(allowed).query.get('code')).toBeTruthy();
      // The consent is remembered: the next sign-in of the app goes straight back.
      const again = await browser.get((await spaRequest(t())).url);
      expect(redirectTarget(again)).toBe(spaCallback);
      // Another user is asked; with skipping on again, nobody is.
      const other = await authorizeAndSignIn(
        new Browser(t()),
        t(),
        (await spaRequest(t())).url,
        await newUser(),
      );
      expect(isConsentRedirect(other)).toBe(true);
      await t().admin.updateApi(apiId, { skipConsent: true });
      const skipped = await authorizeAndSignIn(
        new Browser(t()),
        t(),
        (await spaRequest(t())).url,
        await newUser(),
      );
      expect(redirectTarget(skipped)).toBe(spaCallback);
    } finally {
      await t().admin.updateApi(apiId, { skipConsent: true });
    }
  });
});
