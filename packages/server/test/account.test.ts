import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { expectErrorPage, redirectParams } from './browser-helpers.js';
import { Browser, hiddenFields, htmlText, type TestServer, useTestServer } from './harness.js';
import { spaAuthorize, testUpstream, upstreamCallback, upstreamState } from './test-upstream.js';
import { exchangeCode } from './token-helpers.js';

/**
 * The account page (`/account`): signing in to it, linking one more upstream account (signed in to
 * both, CSRF-protected, bound to the user who asked), and unlinking (never the last way to sign in).
 */

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL account page tests.');

const accounts = {
  rider: {
    id: 'rider-7',
    email: 'rider@guild.example',
    emailVerified: true,
    name: 'Hiccup',
    raw: { email: 'rider@guild.example' },
  },
  other: { id: 'rider-8', email: 'astrid@guild.example', emailVerified: true, name: 'Astrid', raw: {} },
};

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`the account page (${storage})`, () => {
    const t = useTestServer({
      overrides: { upstream: [testUpstream(accounts)] },
      ...(url ? { databaseUrl: url } : {}),
    });

    async function withGuild(server: TestServer) {
      await server.admin.addConnection({
        name: 'guild',
        type: 'test',
        displayName: 'Dragon Riders Guild',
        enabledClients: [server.spa],
      });
    }

    /** Opens /account signed out, signs in with the password there, and comes back to the page. */
    async function accountWithPassword(server: TestServer, browser = new Browser(server)) {
      const first = await browser.get('/account');
      expect(first.status).toBe(303);
      const login = new URL(first.headers.get('location')!);
      expect(login.pathname).toBe('/u/login');
      const signedIn = await browser.signIn(`${login.pathname}${login.search}`, 'user@example.com');
      expect(signedIn.headers.get('location')).toBe('/account');
      const page = await browser.get('/account');
      expect(page.status).toBe(200);
      return { browser, html: await page.text() };
    }

    /** Follows the page's "Link your Dragon Riders Guild account" and comes back from the upstream as `account`. */
    async function link(browser: Browser, html: string, answer: { account?: string; error?: string }) {
      const href = /href="(\/account\/link\?[^"]*)"/.exec(html)?.[1];
      if (!href) throw new Error('no link button');
      const toStart = await browser.get(htmlText(href));
      const start = await browser.get(toStart.headers.get('location')!);
      return upstreamCallback(browser, upstreamState(start), answer);
    }

    it('signs in to the page itself (back to the page, no code), and lists the ways to sign in', async () => {
      await withGuild(t());
      const browser = new Browser(t());
      const first = await browser.get('/account');
      const login = new URL(first.headers.get('location')!);
      const loginPage = htmlText(await (await browser.get(`${login.pathname}${login.search}`)).text());
      // Every connection is offered there, whichever apps enable it.
      expect(loginPage).toContain('Continue with Dragon Riders Guild');
      const signedIn = await browser.signIn(`${login.pathname}${login.search}`, 'user@example.com');
      expect(signedIn.headers.get('location')).toBe('/account');
      expect(await t().server.context.storage.codes.deleteExpired(Number.MAX_SAFE_INTEGER)).toBeUndefined();
      const html = htmlText((await (await browser.get('/account')).text()).replace(/<[^>]+>/g, ''));
      expect(html).toContain('Signed in as Bilbo Baggins');
      expect(html).toContain('Email and password');
      expect(html).toContain('Link your Dragon Riders Guild account');
    });

    it('cannot be an app: no client may take its id', async () => {
      await expect(
        t().admin.addClient({
          type: 'spa',
          name: 'x',
          clientId: 'warden-account',
          callbacks: ['https://x.example/cb'],
        }),
      ).rejects.toThrow(/reserved/);
    });

    it('links an upstream account, which then signs the same user in', async () => {
      await withGuild(t());
      const { browser, html } = await accountWithPassword(t());
      const done = await link(browser, html, { account: 'rider' });
      expect(done.headers.get('location')).toBe('/account?done=linked');
      const page = htmlText(await (await browser.get('/account?done=linked')).text());
      expect(page).toContain('The account is linked');
      expect(page).toContain('rider@guild.example');
      expect(page).not.toContain('Link your Dragon Riders Guild account');
      expect(
        (await t().server.context.storage.identities.forUser(t().userId)).map((i) => i.upstreamId),
      ).toEqual(['rider-7']);

      // Elsewhere, the guild account now signs in as Bilbo.
      const other = new Browser(t());
      const { response, verifier } = await spaAuthorize(t(), other, { connection: 'guild' });
      const start = await other.get(response.headers.get('location')!);
      const back = await upstreamCallback(other, upstreamState(start), { account: 'rider' });
      const code = redirectParams(back).query.get('code')!;
      const tokens = (await (await exchangeCode(t(), { code, verifier })).json()) as { id_token: string };
      expect(decodeJwt(tokens.id_token).payload.sub).toBe(t().userId);
    });

    it("needs the session's CSRF token to start a link", async () => {
      await withGuild(t());
      const { browser } = await accountWithPassword(t());
      await expectErrorPage(await browser.get('/account/link?connection=guild'), 403);
      await expectErrorPage(await browser.get('/account/link?connection=guild&csrf_token=forged'), 403);
    });

    it('refuses to link an upstream account another user has', async () => {
      await withGuild(t());
      const elsewhere = new Browser(t());
      const { response } = await spaAuthorize(t(), elsewhere, { connection: 'guild' });
      const start = await elsewhere.get(response.headers.get('location')!);
      await upstreamCallback(elsewhere, upstreamState(start), { account: 'other' });
      const { browser, html } = await accountWithPassword(t());
      await expectErrorPage(
        await link(browser, html, { account: 'other' }),
        409,
        /already linked to another user/,
      );
      expect(await t().server.context.storage.identities.forUser(t().userId)).toEqual([]);
    });

    it('links nothing when the link is finished by a browser signed in as someone else', async () => {
      await withGuild(t());
      // The attacker starts a link for their own account and hands the upstream step to the victim.
      const attacker = await accountWithPassword(t());
      const href = htmlText(/href="(\/account\/link\?[^"]*)"/.exec(attacker.html)![1]!);
      const startUrl = (await attacker.browser.get(href)).headers.get('location')!;
      const victim = new Browser(t());
      const adminLogin = await victim.get('/account');
      const login = new URL(adminLogin.headers.get('location')!);
      const signed = await victim.signIn(`${login.pathname}${login.search}`, 'admin@example.com');
      expect(signed.headers.get('location')).toBe('/account');
      const start = await victim.get(startUrl);
      const done = await upstreamCallback(victim, upstreamState(start), { account: 'rider' });
      await expectErrorPage(done, 403, /Sign in to your account again/);
      expect(await t().server.context.storage.identities.get('guild', 'rider-7')).toBeUndefined();
    });

    it('goes back to the page when the user cancels upstream', async () => {
      await withGuild(t());
      const { browser, html } = await accountWithPassword(t());
      const done = await link(browser, html, { error: 'access_denied' });
      expect(done.headers.get('location')).toBe('/account?done=cancelled');
      expect(htmlText(await (await browser.get('/account?done=cancelled')).text())).toContain(
        'Linking was cancelled',
      );
    });

    it('unlinks an upstream account, but never the last way to sign in', async () => {
      await withGuild(t());
      const { browser, html } = await accountWithPassword(t());
      await link(browser, html, { account: 'rider' });
      const page = await (await browser.get('/account')).text();
      const unlinked = await browser.post(
        '/account/unlink',
        hiddenFields(page.slice(page.indexOf('/account/unlink'))),
      );
      expect(unlinked.headers.get('location')).toBe('/account?done=unlinked');
      expect(await t().server.context.storage.identities.forUser(t().userId)).toEqual([]);

      // An upstream-only user: their one identity has no Unlink button, and an unlink is refused.
      await t().admin.addConnection({ name: 'elsewhere', type: 'test', displayName: 'Elsewhere' });
      const rider = new Browser(t());
      const { response } = await spaAuthorize(t(), rider, { connection: 'guild' });
      const start = await rider.get(response.headers.get('location')!);
      await upstreamCallback(rider, upstreamState(start), { account: 'other' });
      const riderPage = await (await rider.get('/account')).text();
      expect(riderPage).not.toContain('/account/unlink');
      const csrf = /csrf_token=([^"&]+)/.exec(riderPage)?.[1] ?? hiddenFields(riderPage).csrf_token ?? '';
      const refused = await rider.post('/account/unlink', {
        csrf_token: htmlText(decodeURIComponent(csrf)),
        connection: 'guild',
        upstream_id: 'rider-8',
      });
      await expectErrorPage(refused, 409, /only way you sign in/);
      expect(await t().server.context.storage.identities.get('guild', 'rider-8')).toBeDefined();
    });

    it('refuses an unlink without the CSRF token or from another site', async () => {
      await withGuild(t());
      const { browser, html } = await accountWithPassword(t());
      await link(browser, html, { account: 'rider' });
      await expectErrorPage(
        await browser.post('/account/unlink', { connection: 'guild', upstream_id: 'rider-7' }),
        403,
      );
      const page = await (await browser.get('/account')).text();
      const fields = hiddenFields(page.slice(page.indexOf('/account/unlink')));
      const crossSite = await browser.post('/account/unlink', fields, {
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      });
      await expectErrorPage(crossSite, 403);
      expect(await t().server.context.storage.identities.get('guild', 'rider-7')).toBeDefined();
      // Signed out, the page asks to sign in again.
      const signedOut = await new Browser(t()).post('/account/unlink', fields);
      expect(signedOut.status).toBeGreaterThanOrEqual(400);
    });
  });
}
