import { describe, expect, it } from 'vitest';
import { DATABASE_CONNECTION } from '../src/connections/database-connection.js';
import { allLogs, auditStorages, fromAddress, lastLogId, onlyLog } from './audit-helpers.js';
import { authorizeAndSignIn, redirectParams, spaRequest } from './browser-helpers.js';
import {
  Browser,
  hiddenFields,
  htmlText,
  password,
  signInWithCode,
  startTestServer,
  type TestServer,
  useTestServer,
} from './harness.js';
import { spaAuthorize, testUpstream, upstreamCallback, upstreamState } from './test-upstream.js';
import { spaTokens } from './token-helpers.js';

/**
 * The audit log of what users do: sign-in (password and upstream) and its failures, the throttle's
 * refusals, sign-up, sign-out and consent. Each event is written once, with the app, connection,
 * user, IP and user agent it concerns, through the real flows.
 */

const IP = '203.0.113.9';
const AGENT = 'AuditTest/1.0 (like a browser)';

const accounts = {
  rider: { id: 'rider-7', email: 'rider@guild.example', emailVerified: true, name: 'Hiccup', raw: {} },
  // Claims an address that a password user already has: refused (no takeover).
  impostor: { id: 'imp-1', email: 'user@example.com', emailVerified: true, name: 'Not Bilbo', raw: {} },
};

/** A password attempt from a new browser for a new SPA request; the answer to the form. */
async function attempt(server: TestServer, login: string, pw: string): Promise<Response> {
  const request = await spaRequest(server);
  const browser = new Browser(server);
  const location = (await browser.get(request.url)).headers.get('location')!;
  return browser.signIn(location, login, pw);
}

for (const [storage, url] of auditStorages()) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`the audit log of users (${storage})`, () => {
    const databaseUrl = url ? { databaseUrl: url } : {};
    const t = useTestServer({ overrides: { upstream: [testUpstream(accounts)] }, ...databaseUrl });

    it('records a password sign-in (s) with the app, connection, user, IP and user agent', async () => {
      const after = await lastLogId(t());
      await signInWithCode(fromAddress(t(), IP, AGENT));
      const log = await onlyLog(t(), 's', after);
      expect(log).toEqual({
        logId: log.logId,
        date: t().clock(),
        type: 's',
        description: 'Success Login',
        clientId: t().spa,
        clientName: 'Dragons',
        connection: DATABASE_CONNECTION,
        userId: t().userId,
        userName: 'user@example.com',
        ip: IP,
        userAgent: AGENT,
        details: null,
      });
    });

    it('records a wrong password (fp), an unknown login (fu) and a user without a password (f)', async () => {
      const from = fromAddress(t(), IP, AGENT);
      await t().server.context.storage.users.insert({
        id: 'oidc|guild|no-password',
        email: 'upstream-only@example.com',
        username: null,
        passwordHash: null,
        name: null,
        nickname: null,
        picture: null,
        givenName: null,
        familyName: null,
        locale: null,
        emailVerified: true,
        blocked: false,
        createdAt: 1,
        updatedAt: 1,
      });
      const after = await lastLogId(t());
      expect((await attempt(from, 'bilbo', 'not the password')).status).toBe(401);
      expect((await attempt(from, 'Nobody@Example.com', 'whatever it is')).status).toBe(401);
      expect((await attempt(from, 'upstream-only@example.com', 'any password')).status).toBe(401);
      const common = { clientId: t().spa, connection: DATABASE_CONNECTION, ip: IP, userAgent: AGENT };
      expect(await onlyLog(t(), 'fp', after)).toMatchObject({
        ...common,
        userId: t().userId,
        userName: 'user@example.com',
        description: 'Wrong password',
        details: { reason: 'wrong password' },
      });
      expect(await onlyLog(t(), 'fu', after)).toMatchObject({
        ...common,
        userId: null,
        userName: 'nobody@example.com',
        details: { reason: 'unknown user' },
      });
      expect(await onlyLog(t(), 'f', after)).toMatchObject({
        ...common,
        userId: 'oidc|guild|no-password',
        details: { reason: 'no password' },
      });
      expect((await allLogs(t())).filter((log) => log.type === 's' && log.logId > after)).toEqual([]);
    });

    it('records the throttle refusing an account after its failures (limit_wc)', async () => {
      const from = fromAddress(t(), IP, AGENT);
      for (let i = 0; i < 5; i += 1) expect((await attempt(from, 'bilbo', 'wrong guess')).status).toBe(401);
      const after = await lastLogId(t());
      expect((await attempt(from, 'user@example.com', password)).status).toBe(429);
      expect(await onlyLog(t(), 'limit_wc', after)).toMatchObject({
        clientId: t().spa,
        userId: t().userId,
        ip: IP,
        description: 'Too many failed sign-in attempts for this account',
        details: { reason: 'throttled', retry_after: 900 },
      });
    });

    it('records a sign-up (ss, then s) and a refused one (fs)', async () => {
      const from = fromAddress(t(), IP, AGENT);
      const signUp = async (email: string) => {
        const request = await spaRequest(from);
        const browser = new Browser(from);
        const login = await browser.get((await browser.get(request.url)).headers.get('location')!);
        const href = /<a href="([^"]*u\/signup[^"]*)"/.exec(await login.text())![1]!;
        const fields = hiddenFields(await (await browser.get(htmlText(href))).text());
        return browser.post('/u/signup', { ...fields, email, password: 'long enough password' });
      };
      const after = await lastLogId(t());
      expect((await signUp('Frodo@Example.com')).status).toBe(303);
      const frodo = await t().server.context.storage.users.findByLogin('frodo@example.com');
      const created = { clientId: t().spa, connection: DATABASE_CONNECTION, ip: IP, userAgent: AGENT };
      expect(await onlyLog(t(), 'ss', after)).toMatchObject({
        ...created,
        userId: frodo!.id,
        userName: 'frodo@example.com',
      });
      expect(await onlyLog(t(), 's', after)).toMatchObject({ ...created, userId: frodo!.id });

      const again = await lastLogId(t());
      expect((await signUp('user@example.com')).status).toBe(409);
      expect(await onlyLog(t(), 'fs', again)).toMatchObject({
        ...created,
        userId: null,
        userName: 'user@example.com',
        details: { reason: 'email taken' },
      });
    });

    describe('through an upstream connection', () => {
      /** `/authorize?connection=guild`, then the connection's start, which sends the browser upstream. */
      async function throughConnectionStart(server: TestServer, browser: Browser) {
        const { response } = await spaAuthorize(server, browser, { connection: 'guild' });
        return browser.get(response.headers.get('location')!);
      }

      async function toUpstream(server: TestServer, browser: Browser) {
        await t().admin.addConnection({ name: 'guild', type: 'test', enabledClients: [t().spa] });
        return upstreamState(await throughConnectionStart(server, browser));
      }

      it('records the sign-in (s) with the connection', async () => {
        const from = fromAddress(t(), IP, AGENT);
        const browser = new Browser(from);
        const state = await toUpstream(from, browser);
        const after = await lastLogId(t());
        const back = await upstreamCallback(browser, state, { account: 'rider' });
        expect(redirectParams(back).query.get('code')).toBeTruthy();
        expect(await onlyLog(t(), 's', after)).toMatchObject({
          clientId: t().spa,
          connection: 'guild',
          userId: 'test|rider-7',
          userName: 'rider@guild.example',
          ip: IP,
          userAgent: AGENT,
          details: { provider: 'test' },
        });
      });

      it('refuses a blocked user who signs in upstream, with the error page, and records it (f)', async () => {
        const from = fromAddress(t(), IP, AGENT);
        const first = new Browser(from);
        await upstreamCallback(first, await toUpstream(from, first), { account: 'rider' });
        await t().admin.updateUser('test|rider-7', { blocked: true });
        const browser = new Browser(from);
        const state = upstreamState(await throughConnectionStart(from, browser));
        const after = await lastLogId(t());
        const back = await upstreamCallback(browser, state, { account: 'rider' });
        expect(back.status).toBe(403);
        expect(htmlText(await back.text())).toContain('This account is blocked.');
        expect(await onlyLog(t(), 'f', after)).toMatchObject({
          clientId: t().spa,
          connection: 'guild',
          description: expect.stringContaining('This account is blocked.'),
        });
      });

      it('records a cancelled sign-in and a refused one (f) with why', async () => {
        const from = fromAddress(t(), IP, AGENT);
        const browser = new Browser(from);
        const state = await toUpstream(from, browser);
        let after = await lastLogId(t());
        await upstreamCallback(browser, state, { error: 'access_denied' });
        expect(await onlyLog(t(), 'f', after)).toMatchObject({
          clientId: t().spa,
          ip: IP,
          description: 'the user cancelled at the upstream',
          details: { error: 'access_denied' },
        });

        const start = await throughConnectionStart(from, browser);
        after = await lastLogId(t());
        const refused = await upstreamCallback(browser, upstreamState(start), { account: 'impostor' });
        expect(refused.status).toBe(409);
        expect(await onlyLog(t(), 'f', after)).toMatchObject({
          clientId: t().spa,
          connection: 'guild',
          ip: IP,
          description: expect.stringMatching(/already exists/),
          details: { error: 'access_denied' },
        });
      });
    });

    it('records an upstream answer refused before the sign-in is known (a forged state) as f', async () => {
      const from = fromAddress(t(), IP, AGENT);
      await t().admin.addConnection({ name: 'guild', type: 'test', enabledClients: [t().spa] });
      const after = await lastLogId(t());
      const refused = await upstreamCallback(new Browser(from), 'forged-state', { account: 'rider' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(await onlyLog(t(), 'f', after)).toMatchObject({
        clientId: null,
        userId: null,
        ip: IP,
        userAgent: AGENT,
      });
    });

    it('records a sign-out (slo) with the app, and one everywhere', async () => {
      const from = fromAddress(t(), IP, AGENT);
      const { body, browser } = await spaTokens(from);
      let after = await lastLogId(t());
      const query = new URLSearchParams({
        id_token_hint: body.id_token!,
        post_logout_redirect_uri: 'http://localhost:4200/',
      });
      expect((await browser.get(`/logout?${query}`)).status).toBe(303);
      expect(await onlyLog(t(), 'slo', after)).toMatchObject({
        clientId: t().spa,
        clientName: 'Dragons',
        userId: t().userId,
        userName: 'user@example.com',
        ip: IP,
        userAgent: AGENT,
        description: 'Signed out',
        details: null,
      });

      const second = await spaTokens(from);
      await spaTokens(from); // another device
      after = await lastLogId(t());
      query.set('id_token_hint', second.body.id_token!);
      query.set('everywhere', 'true');
      expect((await second.browser.get(`/logout?${query}`)).status).toBe(303);
      expect(await onlyLog(t(), 'slo', after)).toMatchObject({
        userId: t().userId,
        description: 'Signed out everywhere',
        details: { everywhere: true, other_sessions: 1 },
      });
    });

    it('records consent given to a third-party app (consent_granted) with the scopes', async () => {
      const from = fromAddress(t(), IP, AGENT);
      const browser = new Browser(from);
      const request = await spaRequest(from, {
        client_id: t().thirdParty,
        redirect_uri: 'https://fans.example/callback',
      });
      const toConsent = await authorizeAndSignIn(browser, from, request.url);
      const page = await browser.get(toConsent.headers.get('location')!);
      const after = await lastLogId(t());
      const allowed = await browser.post('/u/consent', {
        ...hiddenFields(await page.text()),
        decision: 'allow',
      });
      expect(redirectParams(allowed).query.get('code')).toBeTruthy();
      expect(await onlyLog(t(), 'consent_granted', after)).toMatchObject({
        clientId: t().thirdParty,
        clientName: 'Dragon Fan Site',
        userId: t().userId,
        ip: IP,
        userAgent: AGENT,
        details: {
          scopes: ['openid', 'profile', 'email', 'offline_access', 'read:dragons'],
          audience: 'http://localhost:3001/api/',
        },
      });
    });

    it('records the throttle refusing an IP that tried many accounts (limit_mu)', async () => {
      const server = await startTestServer({ throttle: { perIp: 3 } }, databaseUrl);
      try {
        const from = fromAddress(server, IP, AGENT);
        for (const login of ['a@example.com', 'b@example.com', 'c@example.com']) {
          expect((await attempt(from, login, 'wrong guess')).status).toBe(401);
        }
        const after = await lastLogId(server);
        expect((await attempt(from, 'd@example.com', 'wrong guess')).status).toBe(429);
        expect(await onlyLog(server, 'limit_mu', after)).toMatchObject({
          clientId: server.spa,
          userName: 'd@example.com',
          ip: IP,
          description: 'Too many sign-in attempts from this IP address',
        });
        expect((await allLogs(server)).filter((log) => log.type === 'fu')).toHaveLength(3);
      } finally {
        await server.close();
      }
    });
  });
}
