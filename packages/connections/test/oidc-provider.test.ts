import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorPage, expectRedirectError } from '../../server/test/browser-helpers.js';
import { Browser, issuer, startTestServer, type TestServer } from '../../server/test/harness.js';
import { createConnections } from '../src/index.js';
import { type OidcProviderUpstream, startOidcProviderUpstream } from './oidc-provider-upstream.js';
import { UpstreamBrowser, visitUpstream } from './upstream-browser.js';
import { clickConnection, expectAppSignedIn, goStraightUpstream } from './warden-side.js';

/**
 * Warden (in process, on the test clock) signing users in at panva's oidc-provider (over real HTTP)
 * through an `oidc` connection, as a browser goes: app → Warden's login page → upstream login and
 * consent → Warden's callback → app.
 */
describe('an OpenID Provider upstream (oidc-provider)', () => {
  let op: OidcProviderUpstream;
  let t: TestServer;

  beforeAll(async () => {
    op = await startOidcProviderUpstream({
      redirectUri: `${issuer}login/callback`,
      account: {
        sub: 'alice-123',
        email: 'alice@guild.example',
        emailVerified: true,
        name: 'Alice Rider',
        givenName: 'Alice',
        familyName: 'Rider',
      },
    });
  });
  afterAll(() => op.close());

  beforeEach(async () => {
    t = await startTestServer({
      // oidc-provider dates its ID tokens by the real clock and takes no other, so they are checked
      // against real time; Warden itself stays on the test clock.
      upstream: [createConnections({ clock: Date.now, allowInsecureLocalhost: true })],
    });
    await t.admin.addConnection({
      name: 'guild',
      type: 'oidc',
      displayName: 'Test Provider',
      clientSecret: op.clientSecret,
      enabledClients: [t.spa],
      // oidc-provider keeps the profile and email claims of a code flow for userinfo.
      settings: { issuer: op.issuer, clientId: op.clientId, userinfo: true },
    });
  });
  afterEach(() => t.close());

  it('signs in from the login page button: the app gets a code for oidc|guild|<sub>, with the upstream name and email', async () => {
    const warden = new Browser(t);
    const trip = await clickConnection(t, warden, 'guild', 'Test Provider');
    expect(`${trip.upstream.origin}${trip.upstream.pathname}`).toBe(`${op.issuer}/auth`);
    const asked = trip.upstream.searchParams;
    expect(asked.get('client_id')).toBe(op.clientId);
    expect(asked.get('redirect_uri')).toBe(`${issuer}login/callback`);
    expect(asked.get('response_type')).toBe('code');
    expect(asked.get('scope')).toBe('openid profile email');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('state')).toBeTruthy();
    expect(asked.get('nonce')).toBeTruthy();

    const { callback, prompts } = await visitUpstream(new UpstreamBrowser(), trip.upstream.href, issuer);
    expect(prompts).toEqual(['login', 'consent']);
    // RFC 9207: oidc-provider names itself in the answer, and advertises that it does.
    expect(new URL(callback).searchParams.get('iss')).toBe(op.issuer);
    const app = await expectAppSignedIn(t, await warden.get(callback), trip);
    expect(app.claims.sub).toBe('oidc|guild|alice-123');
    expect(app.userinfo).toMatchObject({
      sub: 'oidc|guild|alice-123',
      name: 'Alice Rider',
      given_name: 'Alice',
      family_name: 'Rider',
      email: 'alice@guild.example',
      email_verified: true,
    });
  });

  it('/authorize?connection=NAME goes straight to the upstream', async () => {
    const warden = new Browser(t);
    const trip = await goStraightUpstream(t, warden, 'guild');
    expect(`${trip.upstream.origin}${trip.upstream.pathname}`).toBe(`${op.issuer}/auth`);
    const { callback } = await visitUpstream(new UpstreamBrowser(), trip.upstream.href, issuer);
    expect((await expectAppSignedIn(t, await warden.get(callback), trip)).claims.sub).toBe(
      'oidc|guild|alice-123',
    );
  });

  it('signs in again on the upstream session alone: no prompt at Warden, none at the upstream', async () => {
    const upstream = new UpstreamBrowser();
    const first = await clickConnection(t, new Browser(t), 'guild', 'Test Provider');
    const firstVisit = await visitUpstream(upstream, first.upstream.href, issuer);
    expect(firstVisit.prompts).toEqual(['login', 'consent']);

    // Signed out of Warden (a new Warden session), still signed in upstream.
    const warden = new Browser(t);
    const second = await goStraightUpstream(t, warden, 'guild');
    const secondVisit = await visitUpstream(upstream, second.upstream.href, issuer);
    expect(secondVisit.prompts).toEqual([]);
    const app = await expectAppSignedIn(t, await warden.get(secondVisit.callback), second);
    expect(app.claims.sub).toBe('oidc|guild|alice-123');
    expect((await t.admin.listUsers()).filter((user) => user.id === 'oidc|guild|alice-123')).toHaveLength(1);
  });

  it('forwards prompt=login and max_age: the upstream asks the user to sign in again', async () => {
    const upstream = new UpstreamBrowser();
    const first = await goStraightUpstream(t, new Browser(t), 'guild');
    await visitUpstream(upstream, first.upstream.href, issuer);

    const warden = new Browser(t);
    const again = await goStraightUpstream(t, warden, 'guild', { prompt: 'login', max_age: '300' });
    expect(again.upstream.searchParams.get('prompt')).toBe('login');
    expect(again.upstream.searchParams.get('max_age')).toBe('300');
    const visit = await visitUpstream(upstream, again.upstream.href, issuer);
    expect(visit.prompts).toEqual(['login']);
    const app = await expectAppSignedIn(t, await warden.get(visit.callback), again);
    expect(app.claims.sub).toBe('oidc|guild|alice-123');
  });

  it("passes the app's login_hint on", async () => {
    const trip = await goStraightUpstream(t, new Browser(t), 'guild', { login_hint: 'alice@guild.example' });
    expect(trip.upstream.searchParams.get('login_hint')).toBe('alice@guild.example');
  });

  it('sends a cancelled sign-in back to the app as access_denied, with its state', async () => {
    const warden = new Browser(t);
    const trip = await clickConnection(t, warden, 'guild', 'Test Provider');
    const { callback } = await visitUpstream(new UpstreamBrowser(), trip.upstream.href, issuer, {
      cancel: true,
    });
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    expectRedirectError(await warden.get(callback), {
      error: 'access_denied',
      state: trip.request.state,
      issuer,
    });
  });

  it('refuses an answer whose iss names another issuer (mix-up)', async () => {
    const warden = new Browser(t);
    const trip = await goStraightUpstream(t, warden, 'guild');
    const { callback } = await visitUpstream(new UpstreamBrowser(), trip.upstream.href, issuer);
    const forged = new URL(callback);
    forged.searchParams.set('iss', 'https://attacker.example');
    await expectErrorPage(await warden.get(forged.href), 403, 'did not come from Test Provider');
  });
});
