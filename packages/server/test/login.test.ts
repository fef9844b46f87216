import { afterEach, describe, expect, it } from 'vitest';
import {
  alertText,
  expectErrorPage,
  expectRedirectError,
  isLoginRedirect,
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
  issuer,
  password,
  signInWithCode,
  spaCallback,
  startTestServer,
  type TestServer,
  useTestServer,
} from './harness.js';
import { webCallback } from './token-helpers.js';

const sessionCookie = 'warden_session';

/** A POST to /u/login with exactly the headers given (plus the browser's cookies). */
function rawLoginPost(
  t: TestServer,
  browser: Browser,
  fields: Record<string, string>,
  headers: Record<string, string>,
) {
  return t.request('/u/login', {
    method: 'POST',
    headers: {
      cookie: browser.jar.header(),
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
}

function expectNoSession(response: Response) {
  expect(setCookieFor(response, sessionCookie)).toBeUndefined();
  expect(setCookieFor(response, `__Host-${sessionCookie}`)).toBeUndefined();
}

describe('the hosted login page', () => {
  const t = useTestServer({ scope: 'all' });

  it('cannot be framed or cached, and names the application', async () => {
    const { page, html } = await openLogin(t());
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.split(';').map((part) => part.trim())).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(htmlText(html)).toMatch(/to continue to\s*<strong>Dragons<\/strong>/);
  });

  it('refuses a POST without the CSRF token, and starts no session', async () => {
    const { fields, browser } = await openLogin(t());
    const { csrf_token: _token, ...withoutToken } = fields;
    const response = await browser.post('/u/login', { ...withoutToken, login: 'user@example.com', password });
    await expectErrorPage(response, 403, /CSRF token/);
    expectNoSession(response);
  });

  it('refuses a POST with a CSRF token from another browser', async () => {
    const mine = await openLogin(t());
    const theirs = await openLogin(t());
    const response = await mine.browser.post('/u/login', {
      ...mine.fields,
      csrf_token: theirs.fields.csrf_token!,
      login: 'user@example.com',
      password,
    });
    await expectErrorPage(response, 403);
    expectNoSession(response);
  });

  it('refuses a cross-site POST even with a valid token (Sec-Fetch-Site: cross-site)', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await browser.post(
      '/u/login',
      { ...fields, login: 'user@example.com', password },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    await expectErrorPage(response, 403, /cross-site/);
    expectNoSession(response);
  });

  it('refuses a POST from another Origin when the browser sends no Fetch Metadata', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await rawLoginPost(
      t(),
      browser,
      { ...fields, login: 'user@example.com', password },
      { origin: 'https://evil.example' },
    );
    await expectErrorPage(response, 403);
    expectNoSession(response);
  });

  it('refuses a POST with neither Origin, Referer nor Sec-Fetch-Site', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await rawLoginPost(t(), browser, { ...fields, login: 'user@example.com', password }, {});
    await expectErrorPage(response, 403);
    expectNoSession(response);
  });

  it("accepts an old browser's POST whose Referer is the idp, refuses one from another site", async () => {
    const other = await openLogin(t());
    const refused = await rawLoginPost(
      t(),
      other.browser,
      { ...other.fields, login: 'user@example.com', password },
      { referer: 'https://evil.example/page' },
    );
    await expectErrorPage(refused, 403);
    const { fields, browser } = await openLogin(t());
    const accepted = await rawLoginPost(
      t(),
      browser,
      { ...fields, login: 'user@example.com', password },
      { referer: `${issuer}u/login` },
    );
    expect(accepted.status).toBe(303);
    expect(redirectTarget(accepted)).toBe(spaCallback);
  });

  it('answers a wrong password and an unknown account alike', async () => {
    const wrong = await openLogin(t());
    const wrongAnswer = await wrong.browser.post('/u/login', {
      ...wrong.fields,
      login: 'user@example.com',
      password: 'not the password',
    });
    const unknown = await openLogin(t());
    const unknownAnswer = await unknown.browser.post('/u/login', {
      ...unknown.fields,
      login: 'nobody@example.com',
      password: 'not the password',
    });
    expect(wrongAnswer.status).toBe(unknownAnswer.status);
    expect(wrongAnswer.status).toBe(401);
    const wrongMessage = alertText(await wrongAnswer.text());
    expect(wrongMessage).toBeTruthy();
    expect(alertText(await unknownAnswer.text())).toBe(wrongMessage);
    expectNoSession(wrongAnswer);
    expectNoSession(unknownAnswer);
  });

  it('shows the form again after a failure, still usable', async () => {
    const { fields, browser } = await openLogin(t());
    const failed = await browser.post('/u/login', {
      ...fields,
      login: 'user@example.com',
      password: 'nope nope',
    });
    const retryFields = hiddenFields(await failed.text());
    const response = await browser.post('/u/login', { ...retryFields, login: 'user@example.com', password });
    expect(response.status).toBe(303);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
  });

  it('signs in by username', async () => {
    const { fields, browser, request } = await openLogin(t());
    const response = await browser.post('/u/login', { ...fields, login: 'bilbo', password });
    expect(response.status).toBe(303);
    expect(redirectTarget(response)).toBe(spaCallback);
    expect(redirectParams(response).query.get('state')).toBe(request.state);
    expect(redirectParams(response).query.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs in by email whatever its case, and with spaces around it', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await browser.post('/u/login', { ...fields, login: '  USER@Example.COM ', password });
    expect(response.status).toBe(303);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
  });

  it('asks for both fields when one is empty', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await browser.post('/u/login', { ...fields, login: 'user@example.com', password: '' });
    expect(response.status).toBe(400);
    expect(alertText(await response.text())).toMatch(/Enter your email or username and password/);
    expectNoSession(response);
  });

  it('shows the expired-request page for an unknown interaction', async () => {
    const response = await new Browser(t()).get('/u/login?interaction=forged');
    await expectErrorPage(response, 400, /expired or is unknown/);
  });

  it('sets an HttpOnly, SameSite=Lax, Path=/ session cookie (no Secure, no __Host- on http localhost)', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await browser.post('/u/login', { ...fields, login: 'user@example.com', password });
    const cookie = setCookieFor(response, sessionCookie);
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    expect(attributes).not.toContain('secure');
    expect(attributes.some((part) => part.startsWith('domain='))).toBe(false);
  });

  it('gives a new session id at sign-in: a planted cookie is not adopted', async () => {
    const browser = new Browser(t());
    const planted = 'A'.repeat(43);
    browser.jar.set(sessionCookie, planted);
    const { fields } = await openLogin(t(), browser);
    const response = await browser.post('/u/login', { ...fields, login: 'user@example.com', password });
    expect(response.status).toBe(303);
    expect(browser.jar.get(sessionCookie)).toBeDefined();
    expect(browser.jar.get(sessionCookie)).not.toBe(planted);
  });

  it('gives a new session id when signing in again, and the old one stops working', async () => {
    const { browser } = await signInWithCode(t());
    const before = browser.jar.get(sessionCookie)!;
    const { fields } = await openLogin(t(), browser, { prompt: 'login' });
    const response = await browser.post('/u/login', { ...fields, login: 'user@example.com', password });
    expect(response.status).toBe(303);
    const after = browser.jar.get(sessionCookie)!;
    expect(after).not.toBe(before);

    const stale = new Browser(t());
    stale.jar.set(sessionCookie, before);
    const request = await spaRequest(t(), { prompt: 'none' });
    expectRedirectError(await stale.get(request.url), {
      error: 'login_required',
      state: request.state,
      issuer,
    });
  });

  it('signs the user in to a second application without a password (SSO)', async () => {
    const { browser } = await signInWithCode(t());
    const request = await spaRequest(t(), {
      client_id: t().web.client_id,
      redirect_uri: webCallback,
    });
    const response = await browser.get(request.url);
    expect(response.status).toBe(303);
    expect(redirectTarget(response)).toBe(webCallback);
    expect(redirectParams(response).query.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(redirectParams(response).query.get('state')).toBe(request.state);
  });

  it('signs the user in to the same application again without a password, and with prompt=none', async () => {
    const { browser } = await signInWithCode(t());
    const request = await spaRequest(t(), { prompt: 'none' });
    const response = await browser.get(request.url);
    expect(response.status).toBe(303);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
  });

  it('shows the login page again for prompt=login, even with a session', async () => {
    const { browser } = await signInWithCode(t());
    const request = await spaRequest(t(), { prompt: 'login' });
    const response = await browser.get(request.url);
    expect(isLoginRedirect(t(), response)).toBe(true);
    const signedIn = await browser.signIn(response.headers.get('location')!, 'user@example.com');
    expect(redirectParams(signedIn).query.get('code')).toBeTruthy();
  });

  it('prefills the login field from login_hint', async () => {
    const { html } = await openLogin(t(), new Browser(t()), { login_hint: 'hint@example.com' });
    expect(html).toMatch(/name="login"[^>]*value="hint@example.com"/);
  });
});

describe('session lifetime at the idp', () => {
  let t: TestServer;
  afterEach(() => t.close());

  it('asks for the password again when max_age has passed (max_age=0 after a second)', async () => {
    t = await startTestServer();
    const { browser } = await signInWithCode(t);
    t.advance(5);
    const request = await spaRequest(t, { max_age: '0' });
    const response = await browser.get(request.url);
    expect(isLoginRedirect(t, response)).toBe(true);
    const signedIn = await browser.signIn(response.headers.get('location')!, 'user@example.com');
    expect(redirectParams(signedIn).query.get('code')).toBeTruthy();

    const stillFresh = await spaRequest(t, { max_age: '3600' });
    expect(redirectParams(await browser.get(stillFresh.url)).query.get('code')).toBeTruthy();
    const tooOldForNone = await spaRequest(t, { max_age: '0', prompt: 'none' });
    t.advance(1);
    expectRedirectError(await browser.get(tooOldForNone.url), {
      error: 'login_required',
      state: tooOldForNone.state,
      issuer,
    });
  });

  it('ends the session after ttl.sessionIdle without use', async () => {
    t = await startTestServer();
    const idle = t.server.context.config.ttl.sessionIdle;
    const { browser } = await signInWithCode(t);
    t.advance(idle - 120);
    const stillValid = await spaRequest(t, { prompt: 'none' });
    expect(redirectParams(await browser.get(stillValid.url)).query.get('code')).toBeTruthy();
    t.advance(idle + 1);
    const request = await spaRequest(t);
    expect(isLoginRedirect(t, await browser.get(request.url))).toBe(true);
  });

  it('ends the session after ttl.sessionAbsolute even when used all along', async () => {
    t = await startTestServer({ ttl: { sessionIdle: 600, sessionAbsolute: 1800 } });
    const { browser } = await signInWithCode(t);
    for (let elapsed = 0; elapsed < 1500; elapsed += 500) {
      t.advance(500);
      const request = await spaRequest(t, { prompt: 'none' });
      expect(redirectParams(await browser.get(request.url)).query.get('code')).toBeTruthy();
    }
    t.advance(400);
    const request = await spaRequest(t, { prompt: 'none' });
    expectRedirectError(await browser.get(request.url), {
      error: 'login_required',
      state: request.state,
      issuer,
    });
  });

  it('refuses a login form that stayed open longer than ttl.interaction', async () => {
    t = await startTestServer();
    const { fields, browser } = await openLogin(t);
    t.advance(t.server.context.config.ttl.interaction + 1);
    const response = await browser.post('/u/login', { ...fields, login: 'user@example.com', password });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expectNoSession(response);
  });
});

describe('sign-in throttling', () => {
  let t: TestServer;
  afterEach(() => t.close());

  it('refuses even the right password after throttle.perAccount failures, and only for that account', async () => {
    t = await startTestServer();
    const limit = t.server.context.config.throttle.perAccount;
    expect(limit).toBe(5);
    for (let attempt = 0; attempt < limit; attempt++) {
      const { fields, browser } = await openLogin(t);
      const response = await browser.post('/u/login', {
        ...fields,
        login: 'user@example.com',
        password: 'guess 123',
      });
      expect(response.status).toBe(401);
    }
    const { fields, browser } = await openLogin(t);
    const blocked = await browser.post('/u/login', { ...fields, login: 'USER@example.com', password });
    expect(blocked.status).toBe(429);
    expect(alertText(await blocked.text())).toMatch(/^Too many sign-in attempts/);
    expectNoSession(blocked);

    const other = await openLogin(t);
    const admin = await other.browser.post('/u/login', {
      ...other.fields,
      login: 'admin@example.com',
      password,
    });
    expect(admin.status).toBe(303);
  });

  it('counts failures per account, whether it is named by email or by username', async () => {
    t = await startTestServer({ throttle: { perAccount: 4 } });
    for (const login of ['bilbo', 'user@example.com', 'BILBO', 'User@Example.com']) {
      const { fields, browser } = await openLogin(t);
      const response = await browser.post('/u/login', { ...fields, login, password: 'guess 123' });
      expect(response.status).toBe(401);
    }
    for (const login of ['bilbo', 'user@example.com']) {
      const { fields, browser } = await openLogin(t);
      const response = await browser.post('/u/login', { ...fields, login, password });
      expect(response.status).toBe(429);
    }
  });

  it('does not let parallel guesses slip past the limit', async () => {
    t = await startTestServer({ throttle: { perAccount: 3 } });
    const forms = await Promise.all(Array.from({ length: 8 }, () => openLogin(t)));
    const answers = await Promise.all(
      forms.map(({ fields, browser }, index) =>
        browser.post('/u/login', { ...fields, login: 'user@example.com', password: `guess ${index}` }),
      ),
    );
    const statuses = answers.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(5);
    const { fields, browser } = await openLogin(t);
    expect((await browser.post('/u/login', { ...fields, login: 'user@example.com', password })).status).toBe(
      429,
    );
  });

  it('forgets the failures after a successful sign-in', async () => {
    t = await startTestServer({ throttle: { perAccount: 3 } });
    const attempt = async (pw: string) => {
      const { fields, browser } = await openLogin(t);
      return (await browser.post('/u/login', { ...fields, login: 'bilbo', password: pw })).status;
    };
    expect([await attempt('guess 1'), await attempt('guess 2')]).toEqual([401, 401]);
    expect(await attempt(password)).toBe(303);
    expect([await attempt('guess 3'), await attempt('guess 4'), await attempt('guess 5')]).toEqual([
      401, 401, 401,
    ]);
    expect(await attempt(password)).toBe(429);
  });

  it('lets the account in again once the window has passed', async () => {
    t = await startTestServer({ throttle: { perAccount: 2 } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const { fields, browser } = await openLogin(t);
      await browser.post('/u/login', { ...fields, login: 'bilbo', password: 'guess 123' });
    }
    const blocked = await openLogin(t);
    const refused = await blocked.browser.post('/u/login', { ...blocked.fields, login: 'bilbo', password });
    expect(refused.status).toBe(429);
    t.advance(t.server.context.config.throttle.window + 1);
    const { fields, browser } = await openLogin(t);
    const response = await browser.post('/u/login', { ...fields, login: 'bilbo', password });
    expect(response.status).toBe(303);
    expect(redirectParams(response).query.get('code')).toBeTruthy();
  });
});

describe('with an https issuer', () => {
  const t = useTestServer({ scope: 'all', overrides: { issuer: 'https://idp.example/' } });

  it('names the session cookie __Host-warden_session and marks it Secure', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await browser.post('/u/login', { ...fields, login: 'user@example.com', password });
    expect(response.status).toBe(303);
    expect(redirectParams(response).query.get('iss')).toBe('https://idp.example/');
    expect(setCookieFor(response, sessionCookie)).toBeUndefined();
    const cookie = setCookieFor(response, `__Host-${sessionCookie}`);
    expect(cookie).toBeDefined();
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
    expect(attributes.some((part) => part.startsWith('domain='))).toBe(false);
  });

  it('sends the login page to the https issuer and protects its form with a __Host- CSRF cookie', async () => {
    const request = await spaRequest(t());
    const browser = new Browser(t());
    const redirect = await browser.get(request.url);
    expect(redirect.headers.get('location')).toMatch(/^https:\/\/idp\.example\/u\/login\?interaction=/);
    const page = await browser.get(redirect.headers.get('location')!);
    const csrf = setCookieFor(page, '__Host-warden_csrf');
    expect(csrf).toMatch(/; Secure/);
  });

  it('refuses a login POST from the http origin of the same host', async () => {
    const { fields, browser } = await openLogin(t());
    const response = await rawLoginPost(
      t(),
      browser,
      { ...fields, login: 'user@example.com', password },
      { origin: 'http://idp.example' },
    );
    await expectErrorPage(response, 403);
  });
});

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL sign-in tests.');

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(
    `signing in by email or username in any form (${storage})`,
    () => {
      const t = useTestServer({ scope: 'all', ...(url ? { databaseUrl: url } : {}) });

      it('finds a user the administrator added, by email or username in another case or composition', async () => {
        await t().admin.addUser({
          email: '\u00c9mile-x@Example.com',
          username: 'E\u0301mile',
          password,
        });
        for (const login of [
          '\u00e9mile-x@EXAMPLE.com',
          'E\u0301MILE-X@example.com',
          '\u00c9mile-x@example.COM',
          '\u00e9mile',
          '\u00c9MILE',
          'e\u0301mile',
        ]) {
          const { fields, browser } = await openLogin(t());
          const response = await browser.post('/u/login', { ...fields, login, password });
          expect(response.status, login).toBe(303);
          expect(redirectParams(response).query.get('code')).toBeTruthy();
        }
      });

      it('does not take an address for another one that only looks alike', async () => {
        for (const login of [
          'emile-x@example.com',
          '\u00e9mile-x@\u0435xample.com',
          '\u00e9mile-x@example.com.',
        ]) {
          const { fields, browser } = await openLogin(t());
          const response = await browser.post('/u/login', { ...fields, login, password });
          expect(response.status, login).toBe(401);
          expect(alertText(await response.text())).toBe('Wrong email, username or password.');
        }
      });
    },
  );
}
