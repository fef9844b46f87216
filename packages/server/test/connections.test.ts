import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { AdminError, DATABASE_CONNECTION } from '../src/index.js';
import { expectErrorPage, expectRedirectError, redirectParams } from './browser-helpers.js';
import { Browser, hiddenFields, htmlText, password, type TestServer, useTestServer } from './harness.js';
import {
  spaAuthorize,
  testUpstream,
  upstreamCallback,
  upstreamOrigin,
  upstreamState,
} from './test-upstream.js';
import { exchangeCode, userinfo } from './token-helpers.js';

/**
 * Sign-in through upstream connections, the server's part: the login page's buttons, the
 * transaction between start and callback, who the user is (new, linked, refused), and the
 * administration of connections. The upstream protocols themselves (OpenID Connect, OAuth 2.0)
 * are `@warden/connections`', tested against real upstreams there.
 */

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL connection tests.');

const accounts = {
  rider: {
    id: 'rider-7',
    email: 'Rider@Guild.example',
    emailVerified: true,
    name: 'Hiccup Haddock',
    givenName: 'Hiccup',
    familyName: 'Haddock',
    picture: 'https://guild.example/hiccup.png',
    locale: 'en-GB',
    raw: { sub: 'rider-7', email: 'Rider@Guild.example', dragon: 'Toothless' },
  },
  bilboVerified: {
    id: 'b-1',
    email: 'user@example.com',
    emailVerified: true,
    name: 'B',
    raw: { sub: 'b-1' },
  },
  bilboUnverified: { id: 'b-2', email: 'user@example.com', emailVerified: false, raw: { sub: 'b-2' } },
  adminVerified: { id: 'a-1', email: 'admin@example.com', emailVerified: true, raw: { sub: 'a-1' } },
  noEmail: { id: 'quiet-1', name: 'Quiet One', raw: { sub: 'quiet-1' } },
  riderSaysLess: {
    id: 'rider-7',
    email: 'rider@guild.example',
    emailVerified: true,
    raw: { sub: 'rider-7' },
  },
  noId: { id: '', email: 'x@guild.example', raw: {} },
} as const;

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`upstream connections (${storage})`, () => {
    const t = useTestServer({
      overrides: { upstream: [testUpstream(accounts)] },
      ...(url ? { databaseUrl: url } : {}),
    });

    async function addGuild(
      server: TestServer,
      extra: { trustEmail?: boolean; enabledClients?: string[] } = {},
    ) {
      return server.admin.addConnection({
        name: 'guild',
        type: 'test',
        displayName: 'Dragon Riders Guild',
        enabledClients: extra.enabledClients ?? [server.spa],
        ...(extra.trustEmail !== undefined ? { trustEmail: extra.trustEmail } : {}),
        settings: { issuer: 'https://upstream.test/' },
      });
    }

    /** From /authorize to the upstream, through the login page's button; returns the state sent there. */
    async function toUpstream(
      server: TestServer,
      browser: Browser,
    ): Promise<{ state: string; verifier: string }> {
      const { response, verifier } = await spaAuthorize(server, browser);
      const login = await browser.get(response.headers.get('location')!);
      const href = buttonHref(await login.text(), 'Dragon Riders Guild');
      const start = await browser.get(href);
      expect(start.status).toBe(303);
      return { state: upstreamState(start), verifier };
    }

    /** The whole sign-in as `account`: the app's code exchanged; the tokens and the id token's claims. */
    async function signIn(server: TestServer, account: keyof typeof accounts, browser = new Browser(server)) {
      const { state, verifier } = await toUpstream(server, browser);
      const back = await upstreamCallback(browser, state, { account });
      const code = redirectParams(back).query.get('code');
      if (!code) throw new Error(`no code: ${back.status} ${htmlText(await back.text())}`);
      const tokens = (await (await exchangeCode(server, { code, verifier })).json()) as {
        access_token: string;
        id_token: string;
      };
      return { tokens, claims: decodeJwt(tokens.id_token).payload, browser };
    }

    describe('the login page', () => {
      it('offers a button per upstream connection the app enables, above the password form', async () => {
        await addGuild(t());
        await t().admin.addConnection({
          name: 'other',
          type: 'test',
          displayName: 'Elsewhere',
          enabledClients: [],
        });
        const browser = new Browser(t());
        const { response } = await spaAuthorize(t(), browser);
        const html = await (await browser.get(response.headers.get('location')!)).text();
        expect(htmlText(html)).toContain('Continue with Dragon Riders Guild');
        expect(htmlText(html)).not.toContain('Elsewhere');
        expect(html).toContain('name="password"');
        expect(html.indexOf('Continue with Dragon Riders Guild')).toBeLessThan(
          html.indexOf('name="password"'),
        );
      });

      it('shows only the buttons when the app does not offer passwords, and refuses password sign-in and sign-up', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { response } = await spaAuthorize(t(), browser);
        const loginUrl = response.headers.get('location')!;
        // A password form fetched while the app still offered passwords, posted after it stopped.
        const stale = hiddenFields(await (await browser.get(loginUrl)).text());
        await t().admin.disableConnection(DATABASE_CONNECTION, t().spa);
        const html = await (await browser.get(loginUrl)).text();
        expect(htmlText(html)).toContain('Continue with Dragon Riders Guild');
        expect(html).not.toContain('name="password"');
        expect(html).not.toContain('/u/signup');
        const interaction = new URL(loginUrl).searchParams.get('interaction')!;
        await expectErrorPage(
          await browser.get(`/u/signup?interaction=${interaction}`),
          403,
          /password is not enabled/,
        );
        const posted = await browser.post('/u/login', { ...stale, login: 'user@example.com', password });
        await expectErrorPage(posted, 403, /password is not enabled/);
      });

      it('says so when the app offers no way to sign in at all', async () => {
        await t().admin.disableConnection(DATABASE_CONNECTION, t().spa);
        const browser = new Browser(t());
        const { response } = await spaAuthorize(t(), browser);
        await expectErrorPage(await browser.get(response.headers.get('location')!), 403, /No way to sign in/);
      });

      it('goes straight upstream with connection=NAME, and refuses a connection the app does not enable', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { response } = await spaAuthorize(t(), browser, { connection: 'guild' });
        const start = await browser.get(response.headers.get('location')!);
        expect(new URL(start.headers.get('location')!).origin).toBe(upstreamOrigin);

        await t().admin.addConnection({ name: 'other', type: 'test', enabledClients: [] });
        const refused = await spaAuthorize(t(), new Browser(t()), { connection: 'other' });
        expectRedirectError(refused.response, {
          error: 'invalid_request',
          state: 'app-state',
          issuer: t().issuer,
        });
        const unknown = await spaAuthorize(t(), new Browser(t()), { connection: 'nope' });
        expectRedirectError(unknown.response, {
          error: 'invalid_request',
          state: 'app-state',
          issuer: t().issuer,
        });
      });

      it('shows the password form for connection=Username-Password-Authentication', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { response } = await spaAuthorize(t(), browser, { connection: DATABASE_CONNECTION });
        expect(new URL(response.headers.get('location')!).pathname).toBe('/u/login');
      });
    });

    describe('who signs in', () => {
      it('creates provider|id on a first sign-in; the id token and userinfo carry the upstream profile', async () => {
        await addGuild(t());
        const { tokens, claims } = await signIn(t(), 'rider');
        expect(claims).toMatchObject({
          sub: 'test|rider-7',
          name: 'Hiccup Haddock',
          given_name: 'Hiccup',
          family_name: 'Haddock',
          picture: 'https://guild.example/hiccup.png',
          locale: 'en-GB',
          email: 'rider@guild.example',
          email_verified: true,
        });
        expect(claims).not.toHaveProperty('identities');
        const info = (await (await userinfo(t(), tokens.access_token)).json()) as Record<string, unknown>;
        expect(info).toMatchObject({
          sub: 'test|rider-7',
          name: 'Hiccup Haddock',
          email: 'rider@guild.example',
        });
        const identities = await t().server.context.storage.identities.forUser('test|rider-7');
        expect(identities).toEqual([
          expect.objectContaining({
            connection: 'guild',
            upstreamId: 'rider-7',
            provider: 'test',
            profileData: accounts.rider.raw,
            sealedTokens: null,
          }),
        ]);
        expect((await t().server.context.storage.users.get('test|rider-7'))?.passwordHash).toBeNull();
        const listed = (await t().admin.listUsers()).find((user) => user.id === 'test|rider-7');
        expect(listed).toMatchObject({
          hasPassword: false,
          identities: [
            { connection: 'guild', provider: 'test', user_id: 'rider-7', profileData: accounts.rider.raw },
          ],
        });
        expect(JSON.stringify(listed)).not.toContain('upstream-token-of');
      });

      it('signs the same upstream account in as the same user, with a refreshed profile, and again without a password at Warden', async () => {
        await addGuild(t());
        const first = await signIn(t(), 'rider');
        // A new browser signs in again; the same browser then goes through its SSO session.
        const second = await signIn(t(), 'rider');
        expect(second.claims.sub).toBe(first.claims.sub);
        const { response } = await spaAuthorize(t(), second.browser);
        expect(redirectParams(response).query.get('code')).toBeTruthy();
        expect(
          (await t().server.context.storage.users.list()).filter((u) => u.id.startsWith('test|')),
        ).toHaveLength(1);
      });

      it('keeps what the upstream leaves out on a later sign-in (a name sent only once)', async () => {
        await addGuild(t());
        await signIn(t(), 'rider');
        const { claims } = await signIn(t(), 'riderSaysLess');
        expect(claims).toMatchObject({ sub: 'test|rider-7', name: 'Hiccup Haddock', given_name: 'Hiccup' });
      });

      it('names users of a connection without a preset provider|connection|id', async () => {
        await t().admin.addConnection({
          name: 'guild',
          type: 'test',
          displayName: 'Dragon Riders Guild',
          enabledClients: [t().spa],
          settings: { plain: true },
        });
        const { claims } = await signIn(t(), 'rider');
        expect(claims.sub).toBe('test|guild|rider-7');
        const [identity] = await t().server.context.storage.identities.forUser('test|guild|rider-7');
        expect(identity).toMatchObject({ provider: 'test', connection: 'guild', upstreamId: 'rider-7' });
      });

      it('makes a user without an email when the upstream gives none', async () => {
        await addGuild(t());
        const { claims } = await signIn(t(), 'noEmail');
        expect(claims.sub).toBe('test|quiet-1');
        expect(claims).not.toHaveProperty('email');
        expect(claims.name).toBe('Quiet One');
      });

      it('links to the user with that email when the upstream verified it, the connection trusts it and the user verified it too', async () => {
        await addGuild(t(), { trustEmail: true });
        const storage = t().server.context.storage;
        const admin = await storage.users.findByLogin('admin@example.com');
        await storage.users.updateProfile(admin!.id, { ...admin!, emailVerified: true }, 1);
        const { claims } = await signIn(t(), 'adminVerified');
        expect(claims.sub).toBe(t().adminUserId);
        expect((await storage.identities.forUser(t().adminUserId)).map((i) => i.upstreamId)).toEqual(['a-1']);
      });

      it('refuses an email another user holds unless verified AND trusted, creating no one', async () => {
        for (const [trustEmail, account] of [
          [false, 'bilboVerified'],
          [true, 'bilboUnverified'],
          // Trusted and verified upstream, but the local account never proved the address: it could
          // be someone else's pre-registration, so it is not handed the upstream account.
          [true, 'bilboVerified'],
        ] as const) {
          await t()
            .server.context.storage.connections.delete('guild')
            .catch(() => {});
          t().server.context.registry.invalidate();
          await addGuild(t(), { trustEmail });
          const browser = new Browser(t());
          const { state } = await toUpstream(t(), browser);
          const back = await upstreamCallback(browser, state, { account });
          await expectErrorPage(
            back,
            409,
            /already exists.*link Dragon Riders Guild from your account page/s,
          );
          expect(await t().server.context.storage.users.get(`test|${accounts[account].id}`)).toBeUndefined();
          expect(await t().server.context.storage.identities.forUser(t().userId)).toEqual([]);
        }
      });

      it('refuses an upstream answer without an account id', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { state } = await toUpstream(t(), browser);
        await expectErrorPage(
          await upstreamCallback(browser, state, { account: 'noId' }),
          502,
          /did not say which account/,
        );
      });

      it('keeps the upstream tokens, sealed, only when the connection asks for it', async () => {
        await t().admin.addConnection({
          name: 'guild',
          type: 'test',
          displayName: 'Dragon Riders Guild',
          storeTokens: true,
          enabledClients: [t().spa],
        });
        await signIn(t(), 'rider');
        const [identity] = await t().server.context.storage.identities.forUser('test|rider-7');
        expect(identity?.sealedTokens).toBeTypeOf('string');
        expect(identity?.sealedTokens).not.toContain('upstream-token-of');
      });
    });

    describe('the way back from the upstream', () => {
      it("moves on with a page, not a redirect, when the browser comes from the upstream's site", async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { state, verifier } = await toUpstream(t(), browser);
        const back = await upstreamCallback(
          browser,
          state,
          { account: 'rider' },
          { 'sec-fetch-site': 'cross-site' },
        );
        expect(back.status).toBe(200);
        expect(back.headers.get('location')).toBeNull();
        expect(back.headers.get('cache-control')).toBe('no-store');
        const html = await back.text();
        const refresh = /<meta http-equiv="refresh" content="0; url=([^"]+)"/.exec(html)?.[1];
        const next = new URL(htmlText(refresh ?? ''));
        expect(`${next.origin}${next.pathname}`).toBe('http://localhost:4200/callback');
        expect(html).toContain('>Continue</a>');
        // The session started all the same, and the code is good.
        expect(back.headers.getSetCookie().some((cookie) => cookie.startsWith('warden_session='))).toBe(true);
        const tokens = await exchangeCode(t(), { code: next.searchParams.get('code')!, verifier });
        expect(tokens.status).toBe(200);
      });

      it('sends the app error=access_denied with its state when the user cancels upstream', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { state } = await toUpstream(t(), browser);
        const back = await upstreamCallback(browser, state, { error: 'access_denied' });
        expectRedirectError(back, { error: 'access_denied', state: 'app-state', issuer: t().issuer });
      });

      it('takes a state once: a replayed callback is refused', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { state } = await toUpstream(t(), browser);
        expect(
          redirectParams(await upstreamCallback(browser, state, { account: 'rider' })).query.get('code'),
        ).toBeTruthy();
        await expectErrorPage(
          await upstreamCallback(browser, state, { account: 'rider' }),
          400,
          /already finished/,
        );
      });

      it('refuses a callback in another browser than the one that started (login CSRF), and an unknown or missing state', async () => {
        await addGuild(t());
        const { state } = await toUpstream(t(), new Browser(t()));
        await expectErrorPage(
          await upstreamCallback(new Browser(t()), state, { account: 'rider' }),
          400,
          /another browser/,
        );
        const browser = new Browser(t());
        await toUpstream(t(), browser);
        await expectErrorPage(await upstreamCallback(browser, 'made-up-state', { account: 'rider' }), 400);
        await expectErrorPage(await browser.get('/test-upstream/callback?account=rider'), 400);
      });

      it('refuses a callback after ten minutes', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { state } = await toUpstream(t(), browser);
        t().advance(10 * 60 + 1);
        await expectErrorPage(await upstreamCallback(browser, state, { account: 'rider' }), 400, /expired/);
      });

      it('refuses a connection the app stopped offering while the user was upstream', async () => {
        await addGuild(t());
        const browser = new Browser(t());
        const { state } = await toUpstream(t(), browser);
        await t().admin.disableConnection('guild', t().spa);
        await expectErrorPage(
          await upstreamCallback(browser, state, { account: 'rider' }),
          403,
          /not enabled/,
        );
      });

      it('refuses to start a connection the app does not offer, or one that does not exist', async () => {
        await addGuild(t(), { enabledClients: [] });
        const browser = new Browser(t());
        const { response } = await spaAuthorize(t(), browser);
        const interaction = new URL(response.headers.get('location')!).searchParams.get('interaction')!;
        await expectErrorPage(
          await browser.get(`/u/login/connection?interaction=${interaction}&connection=guild`),
          403,
        );
        await expectErrorPage(
          await browser.get(`/u/login/connection?interaction=${interaction}&connection=nope`),
          400,
        );
        await expectErrorPage(
          await browser.get(
            `/u/login/connection?interaction=${interaction}&connection=${DATABASE_CONNECTION}`,
          ),
          400,
        );
      });
    });

    describe('administration', () => {
      it('lists connections without their secrets, enabled clients included', async () => {
        await t().admin.addConnection({
          name: 'guild',
          type: 'test',
          clientSecret: 'the upstream secret',
          enabledClients: [t().spa],
        });
        const listed = await t().admin.listConnections();
        expect(listed.map((c) => c.name)).toEqual([DATABASE_CONNECTION, 'guild']);
        const guild = listed.find((c) => c.name === 'guild')!;
        expect(guild).toMatchObject({
          hasClientSecret: true,
          enabledClients: [t().spa],
          displayName: 'Test IdP',
        });
        expect(JSON.stringify(listed)).not.toContain('the upstream secret');
        const stored = await t().server.context.storage.connections.get('guild');
        expect(stored?.sealedSecret).not.toContain('the upstream secret');
      });

      it('enables the password database for new clients unless told otherwise', async () => {
        await addGuild(t(), { enabledClients: [] });
        const plain = await t().admin.addClient({
          type: 'spa',
          name: 'Plain',
          callbacks: ['https://plain.example/cb'],
        });
        const upstreamOnly = await t().admin.addClient({
          type: 'spa',
          name: 'Guild only',
          callbacks: ['https://guild-only.example/cb'],
          connections: ['guild'],
        });
        const names = async (clientId: string) =>
          (await t().server.context.storage.connections.forClient(clientId)).map((c) => c.name);
        expect(await names(plain.client_id)).toEqual([DATABASE_CONNECTION]);
        expect(await names(upstreamOnly.client_id)).toEqual(['guild']);
      });

      it('refuses bad names, unknown types and clients, a taken name, and removing the password database', async () => {
        const refusals: [() => Promise<unknown>, RegExp][] = [
          [() => t().admin.addConnection({ name: 'bad name', type: 'test' }), /--name/],
          [() => t().admin.addConnection({ name: '-x', type: 'test' }), /--name/],
          [() => t().admin.addConnection({ name: 'x', type: 'nope' }), /--type must be one of test/],
          [
            () => t().admin.addConnection({ name: 'x', type: 'test', enabledClients: ['nobody'] }),
            /unknown client: nobody/,
          ],
          [() => t().admin.addConnection({ name: 'x', type: 'test', displayName: '' }), /--display-name/],
          [() => t().admin.removeConnection(DATABASE_CONNECTION), /cannot be removed/],
          [() => t().admin.removeConnection('nope'), /unknown connection: nope/],
          [() => t().admin.enableConnection('nope', t().spa), /unknown connection/],
          [
            () => t().admin.updateConnection(DATABASE_CONNECTION, { displayName: 'x' }),
            /no settings to change/,
          ],
        ];
        for (const [attempt, message] of refusals) {
          const error = await attempt().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(AdminError);
          expect((error as Error).message).toMatch(message);
        }
        await addGuild(t());
        await expect(addGuild(t())).rejects.toThrow(/already exists/);
      });

      it('updates settings and keeps the secret unless a new one is given; removing keeps the users', async () => {
        await t().admin.addConnection({
          name: 'guild',
          type: 'test',
          clientSecret: 'one',
          enabledClients: [t().spa],
        });
        const before = await t().server.context.storage.connections.get('guild');
        const updated = await t().admin.updateConnection('guild', {
          displayName: 'Dragon Riders Guild',
          trustEmail: true,
        });
        expect(updated).toMatchObject({
          displayName: 'Dragon Riders Guild',
          hasClientSecret: true,
          options: { trustEmail: true },
        });
        expect((await t().server.context.storage.connections.get('guild'))?.sealedSecret).toBe(
          before?.sealedSecret,
        );
        await signIn(t(), 'rider');
        await t().admin.removeConnection('guild');
        expect(await t().server.context.storage.users.get('test|rider-7')).toBeDefined();
        expect(await t().server.context.storage.identities.forUser('test|rider-7')).toEqual([]);
      });
    });
  });
}

/** The `href` of the "Continue with `name`" button of a login page. */
function buttonHref(html: string, name: string): string {
  for (const match of html.matchAll(/<a [^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)) {
    if (htmlText(match[2]!.replace(/<[^>]+>/g, '')).includes(`Continue with ${name}`))
      return htmlText(match[1]!);
  }
  throw new Error(`no "Continue with ${name}" button`);
}
