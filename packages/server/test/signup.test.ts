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
import {
  Browser,
  hiddenFields,
  htmlText,
  password,
  spaCallback,
  type TestServer,
  useTestServer,
} from './harness.js';
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

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL sign-up tests.');

/** Signs up with `email` from a new SPA request; returns the answer to the form. */
async function signUp(t: TestServer, email: string, pw = 'long enough password'): Promise<Response> {
  const { fields, browser } = await openSignup(t);
  return browser.post('/u/signup', { ...fields, email, password: pw });
}

/** Signs in with `login` in a new browser from a new SPA request; returns the answer to the form. */
async function signInAs(t: TestServer, login: string, pw = 'long enough password'): Promise<Response> {
  const request = await spaRequest(t);
  const browser = new Browser(t);
  const location = (await browser.get(request.url)).headers.get('location')!;
  return browser.signIn(location, login, pw);
}

/** The email claim of the ID token a sign-up or sign-in answer leads to. */
async function emailClaim(t: TestServer, response: Response, verifier: string): Promise<unknown> {
  const tokens = await exchangeCode(t, { code: redirectParams(response).query.get('code')!, verifier });
  const { id_token } = (await tokens.json()) as { id_token: string };
  return decodeJwt(id_token).payload.email;
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

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(
    `email addresses at sign-up and sign-in (${storage})`,
    () => {
      const t = useTestServer({ scope: 'all', ...(url ? { databaseUrl: url } : {}) });

      it('signs up as \u00c9mile-x@example.com and signs in as \u00e9mile-x@EXAMPLE.com, decomposed, or in capitals', async () => {
        const { fields, browser, request } = await openSignup(t());
        const created = await browser.post('/u/signup', {
          ...fields,
          email: '\u00c9mile-x@example.com',
          password: 'long enough password',
        });
        expect(created.status).toBe(303);
        expect(await emailClaim(t(), created, request.verifier)).toBe('\u00e9mile-x@example.com');

        for (const login of [
          '\u00c9mile-x@example.com',
          '\u00e9mile-x@EXAMPLE.com',
          'E\u0301mile-x@example.com', // NFD: E + combining acute
          'e\u0301MILE-X@Example.Com',
          '\u00c9MILE-X@EXAMPLE.COM',
        ]) {
          const response = await signInAs(t(), login);
          expect(response.status, login).toBe(303);
          expect(redirectTarget(response)).toBe(spaCallback);
        }
        expect((await signInAs(t(), 'emile-x@example.com')).status).toBe(401);
      });

      it('signs up with a decomposed (NFD) address and signs in with the composed one', async () => {
        expect((await signUp(t(), 'Z\u00fcrich-nfd@example.com'.normalize('NFD'))).status).toBe(303);
        expect((await signInAs(t(), 'z\u00fcrich-nfd@example.com')).status).toBe(303);
        expect((await signInAs(t(), 'Z\u00dcRICH-NFD@EXAMPLE.COM')).status).toBe(303);
      });

      it('refuses a second account for the same address in another case or composition with 409', async () => {
        expect((await signUp(t(), '\u00e9lodie@example.com')).status).toBe(303);
        for (const email of [
          '\u00c9LODIE@example.com',
          'e\u0301lodie@Example.com',
          'E\u0301LODIE@EXAMPLE.COM',
        ]) {
          const response = await signUp(t(), email, 'another long password');
          expect(response.status, email).toBe(409);
          expect(alertText(await response.text())).toBe(
            'An account with this email already exists. Sign in instead.',
          );
        }
        // The first password still works; none of the refused ones does.
        expect((await signInAs(t(), '\u00c9lodie@example.com')).status).toBe(303);
        expect((await signInAs(t(), '\u00e9lodie@example.com', 'another long password')).status).toBe(401);
      });

      it('keeps an internationalised address and signs it in by its punycode domain too', async () => {
        const { fields, browser, request } = await openSignup(t());
        const created = await browser.post('/u/signup', {
          ...fields,
          email: '\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a',
          password: 'long enough password',
        });
        expect(created.status).toBe(303);
        expect(await emailClaim(t(), created, request.verifier)).toBe(
          '\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a',
        );
        expect((await signInAs(t(), '\u7528\u6237@xn--fsqu00a.xn--4rr70v')).status).toBe(303);
        expect((await signUp(t(), '\u7528\u6237@XN--FSQU00A.xn--4rr70v')).status).toBe(409);
      });

      it('refuses look-alike and compatibility addresses with 400 and a message, and creates nothing', async () => {
        const cases: [string, string][] = [
          [
            'fuzz@\u0435x\u0430m\u0440l\u0435.\u0441\u043em', // еxаmрlе.соm: Cyrillic е а р с о
            'The domain of the email address mixes letters of different scripts, such as Latin and Cyrillic, in one part.',
          ],
          [
            'fuzz@xn--xml-6cdxe9e.xn--m-0tbi', // the same, as punycode
            'The domain of the email address mixes letters of different scripts, such as Latin and Cyrillic, in one part.',
          ],
          [
            '\u212Aelvin@example.com', // the Kelvin sign, which NFC turns into K
            'The email address contains a special form of a letter (such as a full-width letter or the Kelvin sign). Type it with ordinary letters.',
          ],
          [
            'fuzz@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com', // full-width ｅｘａｍｐｌｅ
            'The email address contains a special form of a letter (such as a full-width letter or the Kelvin sign). Type it with ordinary letters.',
          ],
          ['zero\u200bwidth@example.com', 'The email address contains an invisible or control character.'],
          ['user@xn--zz.com', 'The domain of the email address (after the @) is not a valid domain name.'],
          [`${'a'.repeat(65)}@example.com`, 'The email address is too long.'],
        ];
        for (const [email, message] of cases) {
          const { fields, browser } = await openSignup(t());
          const response = await browser.post('/u/signup', {
            ...fields,
            email,
            password: 'long enough password',
          });
          expect(response.status, email).toBe(400);
          const html = await response.text();
          expect(alertText(html), email).toBe(message);
          expect(html).toContain('name="email"');
          expect(setCookieFor(response, 'warden_session')).toBeUndefined();
        }
        expect(await t().server.context.storage.users.findByLogin('kelvin@example.com')).toBeUndefined();
        expect(await t().server.context.storage.users.findByLogin('fuzz@example.com')).toBeUndefined();
        const emails = (await t().server.context.storage.users.list()).map((user) => user.email);
        expect(emails.filter((email) => email?.startsWith('fuzz@') || email?.includes('kelvin'))).toEqual([]);
      });
    },
  );
}

describe('the sign-up throttle', () => {
  const t = useTestServer({ overrides: { throttle: { perIp: 3 } } });

  it('answers 429 after throttle.perIp sign-ups from one IP in the window, taken addresses counted', async () => {
    expect((await signUp(t(), 'one@example.com')).status).toBe(303);
    expect((await signUp(t(), 'user@example.com')).status).toBe(409);
    expect((await signUp(t(), 'two@example.com')).status).toBe(303);

    const blocked = await signUp(t(), 'three@example.com');
    expect(blocked.status).toBe(429);
    expect(alertText(await blocked.text())).toBe(
      'Too many sign-up attempts from your network. Try again in 15 minutes.',
    );
    expect(setCookieFor(blocked, 'warden_session')).toBeUndefined();
    expect(await t().server.context.storage.users.findByLogin('three@example.com')).toBeUndefined();
    // Probing a taken address is refused the same way: the answer no longer tells.
    expect((await signUp(t(), 'admin@example.com')).status).toBe(429);

    t().advance(t().server.context.config.throttle.window + 1);
    expect((await signUp(t(), 'three@example.com')).status).toBe(303);
  });

  it('does not count refused forms, and leaves sign-in alone', async () => {
    for (let i = 0; i < 5; i++) expect((await signUp(t(), 'not-an-email')).status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await signUp(t(), `new${i}@example.com`)).status).toBe(303);
    expect((await signUp(t(), 'new3@example.com')).status).toBe(429);
    expect((await signInAs(t(), 'user@example.com', password)).status).toBe(303);
  });
});
