import { afterEach, describe, expect, it } from 'vitest';
import {
  expectErrorPage,
  expectRedirectError,
  redirectParams,
  setCookieFor,
  spaRequest,
} from './browser-helpers.js';
import { type Browser, hiddenFields, htmlText, issuer, spaCallback, useTestServer } from './harness.js';
import { refreshAsSpa, spaTokens, userinfo } from './token-helpers.js';

const spaLogoutUrl = 'http://localhost:4200/';
const webLogoutUrl = 'http://localhost:5000/';

const t = useTestServer({ scope: 'all' });

interface SignedIn {
  browser: Browser;
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs in through the SPA (in `browser`, or a new one) and exchanges the code for tokens. */
async function signIn(browser?: Browser): Promise<SignedIn> {
  const { body, browser: used } = await spaTokens(t(), browser ? { browser } : {});
  return {
    browser: used,
    idToken: body.id_token!,
    accessToken: body.access_token,
    refreshToken: body.refresh_token!,
  };
}

function logoutUrl(path: string, params: Record<string, string>): string {
  return `${path}?${new URLSearchParams(params).toString()}`;
}

/** Whether the browser still has an SSO session (prompt=none gets a code). */
async function hasSession(browser: Browser): Promise<boolean> {
  const request = await spaRequest(t(), { prompt: 'none' });
  const response = await browser.get(request.url);
  const { query } = redirectParams(response);
  if (query.get('code')) return true;
  expectRedirectError(response, { error: 'login_required', state: request.state, issuer });
  return false;
}

function expectSessionCookieCleared(response: Response) {
  const cookie = setCookieFor(response, 'warden_session');
  expect(cookie).toBeDefined();
  expect(cookie).toMatch(/^warden_session=;/);
  expect(cookie).toMatch(/Max-Age=0/i);
}

/** Opens the sign-out question; returns its form fields. */
async function openConfirmation(browser: Browser, url: string) {
  const page = await browser.get(url);
  expect(page.status).toBe(200);
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  const html = await page.text();
  expect(htmlText(html)).toContain('Sign out of Warden?');
  expect(html).toContain('action="/logout/confirm"');
  expect(html).toMatch(/name="decision" value="cancel"/);
  expect(html).toMatch(/name="decision" value="confirm"/);
  expect(setCookieFor(page, 'warden_session')).toBeUndefined();
  return hiddenFields(html);
}

describe('RP-initiated logout with an id_token_hint for the current session', () => {
  it('ends the session at once and returns to the registered post_logout_redirect_uri with state', async () => {
    const session = await signIn();
    expect((await userinfo(t(), session.accessToken)).status).toBe(200);
    const response = await session.browser.get(
      logoutUrl('/logout', {
        id_token_hint: session.idToken,
        post_logout_redirect_uri: spaLogoutUrl,
        state: 'bye-123',
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${spaLogoutUrl}?state=bye-123`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expectSessionCookieCleared(response);
    expect(session.browser.jar.get('warden_session')).toBeUndefined();
    expect(await hasSession(session.browser)).toBe(false);
  });

  it('refuses the refresh token issued in the ended session', async () => {
    const session = await signIn();
    expect(session.refreshToken).toBeTruthy();
    await session.browser.get(logoutUrl('/logout', { id_token_hint: session.idToken }));
    const response = await refreshAsSpa(t(), session.refreshToken);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('refuses the access token issued in the ended session at /userinfo', async () => {
    const session = await signIn();
    await session.browser.get(logoutUrl('/logout', { id_token_hint: session.idToken }));
    const response = await userinfo(t(), session.accessToken);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_token');
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it("leaves another browser's session and tokens alone", async () => {
    const mine = await signIn();
    const other = await signIn();
    await mine.browser.get(logoutUrl('/logout', { id_token_hint: mine.idToken }));
    expect(await hasSession(other.browser)).toBe(true);
    expect((await userinfo(t(), other.accessToken)).status).toBe(200);
    expect((await refreshAsSpa(t(), other.refreshToken)).status).toBe(200);
  });

  it('shows the signed-out page when no return address is given', async () => {
    const session = await signIn();
    const response = await session.browser.get(logoutUrl('/logout', { id_token_hint: session.idToken }));
    expect(response.status).toBe(200);
    expect(htmlText(await response.text())).toContain('You are signed out');
    expectSessionCookieCleared(response);
  });

  it('accepts the same request as a form POST', async () => {
    const session = await signIn();
    const response = await session.browser.post('/logout', {
      id_token_hint: session.idToken,
      post_logout_redirect_uri: spaLogoutUrl,
      state: 's',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${spaLogoutUrl}?state=s`);
    expect(await hasSession(session.browser)).toBe(false);
  });

  it("asks first when the hint is another session's id token", async () => {
    const other = await signIn();
    const mine = await signIn();
    const fields = await openConfirmation(
      mine.browser,
      logoutUrl('/logout', { id_token_hint: other.idToken, post_logout_redirect_uri: spaLogoutUrl }),
    );
    expect(fields.post_logout_redirect_uri).toBe(spaLogoutUrl);
    expect(await hasSession(mine.browser)).toBe(true);
    expect(await hasSession(other.browser)).toBe(true);
  });
});

describe('logout refuses to become an open redirect', () => {
  const refused: [string, Record<string, string>][] = [
    ['another site', { post_logout_redirect_uri: 'https://evil.example/' }],
    ['the registered one without its slash', { post_logout_redirect_uri: 'http://localhost:4200' }],
    [
      'the registered one with a query',
      { post_logout_redirect_uri: 'http://localhost:4200/?next=https://evil.example' },
    ],
    ['the registered one with a path', { post_logout_redirect_uri: 'http://localhost:4200/evil' }],
    ['the SPA callback (not a logout URL)', { post_logout_redirect_uri: spaCallback }],
    ["another client's logout URL", { post_logout_redirect_uri: webLogoutUrl }],
  ];

  it.each(refused)('refuses %s with an error page and keeps the session', async (_name, params) => {
    const session = await signIn();
    const response = await session.browser.get(
      logoutUrl('/logout', { id_token_hint: session.idToken, state: 's', ...params }),
    );
    const html = await expectErrorPage(response, 400, /post_logout_redirect_uri is not registered/);
    expect(html).not.toContain('evil.example');
    expect(setCookieFor(response, 'warden_session')).toBeUndefined();
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('refuses a post_logout_redirect_uri that names no client', async () => {
    const session = await signIn();
    const response = await session.browser.get(
      logoutUrl('/logout', { post_logout_redirect_uri: spaLogoutUrl }),
    );
    await expectErrorPage(response, 400, /needs client_id or id_token_hint/);
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('refuses a client_id that does not match the id_token_hint', async () => {
    const session = await signIn();
    const response = await session.browser.get(
      logoutUrl('/logout', {
        id_token_hint: session.idToken,
        client_id: t().web.client_id,
        post_logout_redirect_uri: webLogoutUrl,
      }),
    );
    await expectErrorPage(response, 400, /does not match/);
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('refuses a tampered id_token_hint', async () => {
    const session = await signIn();
    const [header, payload, signature] = session.idToken.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, aud: t().web.client_id })).toString('base64url')}.${signature}`;
    for (const hint of [forged, 'not-a-jwt', `${header}.${payload}.`]) {
      const response = await session.browser.get(
        logoutUrl('/logout', { id_token_hint: hint, post_logout_redirect_uri: webLogoutUrl }),
      );
      await expectErrorPage(response, 400, /id_token_hint is not a valid id token/);
    }
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('refuses an unknown client_id', async () => {
    const response = await t().request(
      logoutUrl('/logout', { client_id: 'nobody', post_logout_redirect_uri: spaLogoutUrl }),
    );
    await expectErrorPage(response, 400, /unknown client_id/);
  });
});

describe('logout without an id_token_hint asks the user first', () => {
  it('shows a confirmation page and keeps the session until the user confirms', async () => {
    const session = await signIn();
    const fields = await openConfirmation(
      session.browser,
      logoutUrl('/logout', { client_id: t().spa, post_logout_redirect_uri: spaLogoutUrl, state: 'st' }),
    );
    expect(fields).toMatchObject({ client_id: t().spa, post_logout_redirect_uri: spaLogoutUrl, state: 'st' });
    expect(await hasSession(session.browser)).toBe(true);

    const response = await session.browser.post('/logout/confirm', { ...fields, decision: 'confirm' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${spaLogoutUrl}?state=st`);
    expectSessionCookieCleared(response);
    expect(await hasSession(session.browser)).toBe(false);
    expect((await userinfo(t(), session.accessToken)).status).toBe(401);
    expect((await refreshAsSpa(t(), session.refreshToken)).status).toBe(400);
  });

  it('shows the signed-out page after confirming when no return address was given', async () => {
    const session = await signIn();
    const fields = await openConfirmation(session.browser, '/logout');
    const response = await session.browser.post('/logout/confirm', { ...fields, decision: 'confirm' });
    expect(response.status).toBe(200);
    expect(htmlText(await response.text())).toContain('You are signed out');
    expectSessionCookieCleared(response);
    expect(await hasSession(session.browser)).toBe(false);
  });

  it('keeps the session on Cancel and returns to the app with state', async () => {
    const session = await signIn();
    const fields = await openConfirmation(
      session.browser,
      logoutUrl('/logout', { client_id: t().spa, post_logout_redirect_uri: spaLogoutUrl, state: 'st' }),
    );
    const response = await session.browser.post('/logout/confirm', { ...fields, decision: 'cancel' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${spaLogoutUrl}?state=st`);
    expect(setCookieFor(response, 'warden_session')).toBeUndefined();
    expect(await hasSession(session.browser)).toBe(true);
    expect((await userinfo(t(), session.accessToken)).status).toBe(200);
  });

  it('keeps the session on Cancel and says so when no return address was given', async () => {
    const session = await signIn();
    const fields = await openConfirmation(session.browser, '/logout');
    const response = await session.browser.post('/logout/confirm', { ...fields, decision: 'cancel' });
    expect(response.status).toBe(200);
    const text = htmlText(await response.text());
    expect(text).toContain('You are still signed in');
    expect(text).toContain('Bilbo Baggins');
    expect(setCookieFor(response, 'warden_session')).toBeUndefined();
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('ends nothing for an unknown or missing decision', async () => {
    const session = await signIn();
    const fields = await openConfirmation(session.browser, '/logout');
    for (const decision of [undefined, 'maybe']) {
      const response = await session.browser.post(
        '/logout/confirm',
        decision ? { ...fields, decision } : fields,
      );
      await expectErrorPage(response, 400, /decision/);
    }
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('refuses the confirmation without the session CSRF token', async () => {
    const session = await signIn();
    const { csrf_token: _token, ...fields } = await openConfirmation(session.browser, '/logout');
    const response = await session.browser.post('/logout/confirm', { ...fields, decision: 'confirm' });
    await expectErrorPage(response, 403, /CSRF token/);
    expect(setCookieFor(response, 'warden_session')).toBeUndefined();
    expect(await hasSession(session.browser)).toBe(true);
  });

  it("refuses the confirmation with another session's CSRF token", async () => {
    const victim = await signIn();
    const attacker = await signIn();
    const theirs = await openConfirmation(attacker.browser, '/logout');
    const response = await victim.browser.post('/logout/confirm', { ...theirs, decision: 'confirm' });
    await expectErrorPage(response, 403);
    expect(await hasSession(victim.browser)).toBe(true);
  });

  it('refuses a cross-site confirmation', async () => {
    const session = await signIn();
    const fields = await openConfirmation(session.browser, '/logout');
    const response = await session.browser.post(
      '/logout/confirm',
      { ...fields, decision: 'confirm' },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    await expectErrorPage(response, 403, /cross-site/);
    expect(await hasSession(session.browser)).toBe(true);
  });

  it('re-checks the return address posted with the confirmation', async () => {
    const session = await signIn();
    const fields = await openConfirmation(
      session.browser,
      logoutUrl('/logout', { client_id: t().spa, post_logout_redirect_uri: spaLogoutUrl }),
    );
    const response = await session.browser.post('/logout/confirm', {
      ...fields,
      post_logout_redirect_uri: 'https://evil.example/',
      decision: 'confirm',
    });
    await expectErrorPage(response, 400, /not registered/);
    expect(await hasSession(session.browser)).toBe(true);
  });
});

describe('Auth0-style /v2/logout', () => {
  it('asks, then returns to returnTo after the user confirms', async () => {
    const session = await signIn();
    const fields = await openConfirmation(
      session.browser,
      logoutUrl('/v2/logout', { client_id: t().spa, returnTo: spaLogoutUrl }),
    );
    expect(fields.post_logout_redirect_uri).toBe(spaLogoutUrl);
    const response = await session.browser.post('/logout/confirm', { ...fields, decision: 'confirm' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(spaLogoutUrl);
    expect(await hasSession(session.browser)).toBe(false);
    expect((await userinfo(t(), session.accessToken)).status).toBe(401);
  });

  it('signs out at once with an id_token_hint', async () => {
    const session = await signIn();
    const response = await session.browser.get(
      logoutUrl('/v2/logout', { id_token_hint: session.idToken, returnTo: spaLogoutUrl }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(spaLogoutUrl);
    expectSessionCookieCleared(response);
    expect(await hasSession(session.browser)).toBe(false);
  });

  it('refuses a returnTo that is not registered', async () => {
    const session = await signIn();
    const response = await session.browser.get(
      logoutUrl('/v2/logout', { client_id: t().spa, returnTo: 'https://evil.example/' }),
    );
    await expectErrorPage(response, 400, /not registered/);
    expect(await hasSession(session.browser)).toBe(true);
  });
});

describe('logout without a session', () => {
  it('returns to a registered address at once (there is nothing to end)', async () => {
    const response = await t().request(
      logoutUrl('/logout', { client_id: t().spa, post_logout_redirect_uri: spaLogoutUrl, state: 'x' }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${spaLogoutUrl}?state=x`);
  });
});

describe('logging out everywhere (everywhere=true)', () => {
  // A user revocation refuses what was issued up to its second: move the clock past it.
  afterEach(() => t().advance(1));

  it('with a matching hint ends every session of the user, on every device, and their refresh tokens', async () => {
    const laptop = await signIn();
    const phone = await signIn();
    expect(await hasSession(phone.browser)).toBe(true);
    const response = await laptop.browser.get(
      logoutUrl('/logout', {
        id_token_hint: laptop.idToken,
        post_logout_redirect_uri: spaLogoutUrl,
        everywhere: 'true',
      }),
    );
    expect(response.status).toBe(303);
    expectSessionCookieCleared(response);
    expect(await hasSession(laptop.browser)).toBe(false);
    expect(await hasSession(phone.browser)).toBe(false);
    expect((await refreshAsSpa(t(), phone.refreshToken)).status).toBe(400);
    expect((await userinfo(t(), phone.accessToken)).status).toBe(401);
  });

  it('without a hint asks first, naming every device, and ends them all on confirmation', async () => {
    const laptop = await signIn();
    const phone = await signIn();
    const page = await laptop.browser.get(logoutUrl('/logout', { everywhere: 'true' }));
    const html = htmlText(await page.text());
    expect(html).toContain('Sign out of Warden on every device?');
    const fields = hiddenFields(html);
    expect(fields.everywhere).toBe('true');
    expect(await hasSession(phone.browser)).toBe(true);
    const confirmed = await laptop.browser.post('/logout/confirm', { ...fields, decision: 'confirm' });
    expect(confirmed.status).toBe(200);
    expect(await hasSession(phone.browser)).toBe(false);
  });

  it('leaves other devices alone without it, and refuses a value other than true or false', async () => {
    const laptop = await signIn();
    const phone = await signIn();
    await laptop.browser.get(
      logoutUrl('/logout', { id_token_hint: laptop.idToken, post_logout_redirect_uri: spaLogoutUrl }),
    );
    expect(await hasSession(phone.browser)).toBe(true);
    const bad = await phone.browser.get(
      logoutUrl('/logout', { id_token_hint: phone.idToken, everywhere: 'yes' }),
    );
    expect(bad.status).toBe(400);
    expect(await hasSession(phone.browser)).toBe(true);
  });
});
