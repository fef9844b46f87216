import type { APIRequestContext, Page, Response } from '@playwright/test';
import { bffUserInPage, callWithCookie } from './support/api.js';
import { copySessionCookie, expectDragons, expectSignedIn, signInThroughApp } from './support/app.js';
import { type OtherSite, startOtherSite } from './support/other-site.js';
import { demo, otherSites, type System } from './support/system.js';
import { expect, test } from './support/test.js';

// Cookie mode only (playwright.config.ts): the browser attaches the session cookie by itself, so
// every unsafe request must prove it comes from the app's own page.

/** What the app's server answers when it refuses a request that is not from its origin. */
const refusal = /cross-site request refused/;
/** The unsafe endpoints a forged request would aim at: an API write and "log out everywhere". */
const targets = ['api/dragons', 'bff/logout'];

let sites: OtherSite[] = [];
test.beforeAll(async () => {
  sites = [
    await startOtherSite(otherSites.sameSite, 'Another app on the same host'),
    await startOtherSite(otherSites.crossSite, 'Another site'),
  ];
});
test.afterAll(async () => {
  for (const site of sites) await site.close();
});

/** The ids of the user's sessions at the app's server, as the signed-in page lists them. */
function sessionIds(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const { sessions } = (await (await fetch('/bff/sessions')).json()) as { sessions: { sid: string }[] };
    return sessions.map((session) => session.sid).sort();
  });
}

/** The user is still signed in with the same sessions, and the API still answers the copied cookie. */
async function expectNothingChanged(
  page: Page,
  system: System,
  request: APIRequestContext,
  before: { cookie: string; sessions: string[] },
): Promise<void> {
  await page.goto(system.spaUrl);
  await expectSignedIn(page, demo.user.name);
  await expectDragons(page);
  expect((await bffUserInPage(page)).isAuthenticated).toBe(true);
  expect(await sessionIds(page)).toEqual(before.sessions);
  expect((await callWithCookie(request, system, 'api/dragons', before.cookie)).status()).toBe(200);
}

/** Waits for the answer to the request (POST unless said) to `url` that `act` makes the page send. */
async function answerTo(
  page: Page,
  url: string,
  act: () => Promise<unknown>,
  method = 'POST',
): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((response) => response.url() === url && response.request().method() === method),
    act(),
  ]);
  return response;
}

test('a form POST and a fetch with credentials from another site are refused (403) and change nothing', async ({
  page,
  context,
  request,
  system,
}) => {
  await signInThroughApp(page, system, demo.user);
  const before = { cookie: await copySessionCookie(context, system), sessions: await sessionIds(page) };
  const attacker = await context.newPage();

  for (const site of sites) {
    // The browser sends the SameSite=Lax cookie along from another port of the same host (the same
    // site), so there only the origin check stands in the way; from another site it does not.
    const dragons = new URL('api/dragons', system.spaUrl).href;
    await attacker.goto(`${site.origin}/`);
    const probe = await answerTo(
      attacker,
      dragons,
      () => attacker.evaluate((url) => fetch(url, { mode: 'no-cors', credentials: 'include' }), dragons),
      'GET',
    );
    expect(probe.status(), `GET from ${site.origin}`).toBe(site.origin === otherSites.sameSite ? 200 : 401);

    for (const target of targets) {
      const url = new URL(target, system.spaUrl).href;
      const where = `${site.origin} → ${url}`;

      await attacker.goto(`${site.origin}/`);
      const form = await answerTo(attacker, url, () =>
        attacker.evaluate((action) => {
          const element = document.createElement('form');
          element.method = 'POST';
          element.action = action;
          const field = document.createElement('input');
          field.name = 'everywhere';
          field.value = 'true';
          element.append(field);
          document.body.append(element);
          element.submit();
        }, url),
      );
      expect(form.status(), `form ${where}`).toBe(403);
      expect(await form.text(), `form ${where}`).toMatch(refusal);

      // As a forging page sends it: a simple request with the cookies, its answer opaque to the page.
      await attacker.goto(`${site.origin}/`);
      const fetched = await answerTo(attacker, url, () =>
        attacker.evaluate(
          (action) =>
            fetch(action, {
              method: 'POST',
              mode: 'no-cors',
              credentials: 'include',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: 'everywhere=true',
            }),
          url,
        ),
      );
      expect(fetched.status(), `fetch ${where}`).toBe(403);
    }
  }

  await expectNothingChanged(page, system, request, before);
});

test('a POST with the session cookie but without Origin or Fetch-Metadata is refused (403)', async ({
  page,
  context,
  request,
  system,
}) => {
  await signInThroughApp(page, system, demo.user);
  const cookie = await copySessionCookie(context, system);
  const before = { cookie, sessions: await sessionIds(page) };
  // The cookie is good: the refusals below are about where the requests come from.
  expect((await callWithCookie(request, system, 'api/dragons', cookie)).status()).toBe(200);

  const write = await callWithCookie(request, system, 'api/dragons', cookie, {
    method: 'POST',
    data: { name: 'Drogon' },
  });
  expect(write.status()).toBe(403);
  expect(await write.text()).toMatch(refusal);
  const logout = await callWithCookie(request, system, 'bff/logout', cookie, {
    method: 'POST',
    data: { everywhere: true },
  });
  expect(logout.status()).toBe(403);
  expect(await logout.text()).toMatch(refusal);

  await expectNothingChanged(page, system, request, before);
});
