import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import {
  alertText,
  expectErrorPage,
  openLogin,
  redirectParams,
  redirectTarget,
  setCookieFor,
  spaRequest,
} from './browser-helpers.js';
import { Browser, hiddenFields, htmlText, spaCallback, type TestServer, useTestServer } from './harness.js';
import { exchangeCode } from './token-helpers.js';

/** Goes from a new SPA request to the sign-up page through the login page's "Create one" link. */
async function openSignup(t: TestServer, browser = new Browser(t)) {
  const { html: loginHtml, request } = await openLogin(t, browser);
  const href = /<a href="([^"]*u\/signup[^"]*)"/.exec(loginHtml)?.[1];
  expect(href).toBeDefined();
  const page = await browser.get(htmlText(href!));
  const html = await page.text();
  return { page, html, fields: hiddenFields(html), browser, request };
}

let serial = 0;
function newEmail(): string {
  serial += 1;
  return `frodo${serial}@example.com`;
}

describe('sign-up', () => {
  const t = useTestServer({ scope: 'all' });

  it('creates the account and returns to the application with a code for it', async () => {
    const email = newEmail();
    const { page, fields, browser, request } = await openSignup(t());
    expect(page.status).toBe(200);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const response = await browser.post('/u/signup', {
      ...fields,
      email,
      name: 'Frodo Baggins',
      password: 'the ring is mine',
    });
    expect(response.status).toBe(303);
    expect(redirectTarget(response)).toBe(spaCallback);
    const { query } = redirectParams(response);
    expect(query.get('state')).toBe(request.state);
    expect(browser.jar.get('warden_session')).toBeDefined();

    const tokens = await exchangeCode(t(), { code: query.get('code')!, verifier: request.verifier });
    expect(tokens.status).toBe(200);
    const { id_token } = (await tokens.json()) as { id_token: string };
    const claims = decodeJwt(id_token).payload;
    expect(claims).toMatchObject({ email, name: 'Frodo Baggins', email_verified: false });
    expect(claims.sub).not.toBe(t().userId);
  });

  it('lets the new account sign in with its password afterwards', async () => {
    const email = newEmail();
    const { fields, browser } = await openSignup(t());
    expect((await browser.post('/u/signup', { ...fields, email, password: 'second breakfast' })).status).toBe(
      303,
    );
    const request = await spaRequest(t());
    const fresh = new Browser(t());
    const login = (await fresh.get(request.url)).headers.get('location')!;
    const response = await fresh.signIn(login, email.toUpperCase(), 'second breakfast');
    expect(response.status).toBe(303);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
  });

  it('refuses an email that already has an account, whatever its case, with 409', async () => {
    for (const email of ['user@example.com', 'User@Example.com']) {
      const { fields, browser } = await openSignup(t());
      const response = await browser.post('/u/signup', {
        ...fields,
        email,
        password: 'long enough password',
      });
      expect(response.status).toBe(409);
      expect(alertText(await response.text())).toBe(
        'An account with this email already exists. Sign in instead.',
      );
      expect(setCookieFor(response, 'warden_session')).toBeUndefined();
    }
    // The existing account's password still works (the attempt changed nothing).
    const request = await spaRequest(t());
    const browser = new Browser(t());
    const login = (await browser.get(request.url)).headers.get('location')!;
    expect((await browser.signIn(login, 'user@example.com')).status).toBe(303);
  });

  it('refuses a password shorter than 8 characters with 400 and creates nothing', async () => {
    const email = newEmail();
    const { fields, browser } = await openSignup(t());
    const response = await browser.post('/u/signup', { ...fields, email, password: 'short' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(alertText(html)).toBe('Password must be at least 8 characters.');
    expect(html).toMatch(new RegExp(`name="email"[^>]*value="${email}"`));
    expect(html).not.toContain('value="short"');
    expect(setCookieFor(response, 'warden_session')).toBeUndefined();

    const again = await openSignup(t());
    const created = await again.browser.post('/u/signup', {
      ...again.fields,
      email,
      password: 'long enough now',
    });
    expect(created.status).toBe(303);
  });

  it('refuses an invalid email with 400', async () => {
    for (const email of ['', 'not-an-email', 'two@@example.com', 'a b@example.com']) {
      const { fields, browser } = await openSignup(t());
      const response = await browser.post('/u/signup', {
        ...fields,
        email,
        password: 'long enough password',
      });
      expect(response.status).toBe(400);
      expect(alertText(await response.text())).toBe('Enter a valid email address.');
    }
  });

  it('refuses a sign-up POST without the CSRF token, and creates nothing', async () => {
    const email = newEmail();
    const { fields, browser } = await openSignup(t());
    const { csrf_token: _token, ...withoutToken } = fields;
    const response = await browser.post('/u/signup', {
      ...withoutToken,
      email,
      password: 'long enough password',
    });
    await expectErrorPage(response, 403, /CSRF token/);
    expect(setCookieFor(response, 'warden_session')).toBeUndefined();

    const again = await openSignup(t());
    expect(
      (await again.browser.post('/u/signup', { ...again.fields, email, password: 'long enough password' }))
        .status,
    ).toBe(303);
  });

  it('refuses a cross-site sign-up POST', async () => {
    const { fields, browser } = await openSignup(t());
    const response = await browser.post(
      '/u/signup',
      { ...fields, email: newEmail(), password: 'long enough password' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    await expectErrorPage(response, 403, /cross-site/);
  });

  it('creates one account when the same email signs up twice at once; the other gets 409', async () => {
    const email = newEmail();
    const first = await openSignup(t());
    const second = await openSignup(t());
    const answers = await Promise.all([
      first.browser.post('/u/signup', { ...first.fields, email, password: 'long enough password' }),
      second.browser.post('/u/signup', { ...second.fields, email, password: 'another long password' }),
    ]);
    expect(answers.map((response) => response.status).sort()).toEqual([303, 409]);
  });
});

describe('sign-up disabled', () => {
  const t = useTestServer({ scope: 'all', overrides: { signup: false } });

  it('offers no sign-up link on the login page', async () => {
    const request = await spaRequest(t());
    const browser = new Browser(t());
    const redirect = await browser.get(request.url);
    const html = await (await browser.get(redirect.headers.get('location')!)).text();
    expect(html).toContain('name="password"');
    expect(html).not.toContain('/u/signup');
    expect(html).not.toContain('Create one');
  });

  it('answers the sign-up page and its form with a 404 page', async () => {
    const request = await spaRequest(t());
    const browser = new Browser(t());
    const login = new URL((await browser.get(request.url)).headers.get('location')!);
    const interaction = login.searchParams.get('interaction')!;
    await expectErrorPage(
      await browser.get(`/u/signup?interaction=${interaction}`),
      404,
      /sign-up is disabled/,
    );
    const loginHtml = await (await browser.get(login.toString())).text();
    const posted = await browser.post('/u/signup', {
      ...hiddenFields(loginHtml),
      email: 'new@example.com',
      password: 'long enough password',
    });
    await expectErrorPage(posted, 404);
    expect(setCookieFor(posted, 'warden_session')).toBeUndefined();
  });
});
