import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorPage, expectRedirectError } from '../../server/test/browser-helpers.js';
import { Browser, issuer, startTestServer, type TestServer } from '../../server/test/harness.js';
import { createConnections } from '../src/index.js';
import { type GitHubStyleUpstream, startGitHubStyleUpstream } from './github-style-upstream.js';
import { UpstreamBrowser, visitUpstream } from './upstream-browser.js';
import { clickConnection, expectAppSignedIn, goStraightUpstream } from './warden-side.js';

/** The `github` preset (OAuth 2.0, no OpenID) pointed at a GitHub-style test server over real HTTP. */
describe('a GitHub-style OAuth 2.0 upstream', () => {
  let gh: GitHubStyleUpstream;
  let t: TestServer;

  beforeAll(async () => {
    gh = await startGitHubStyleUpstream({ redirectUri: `${issuer}login/callback` });
  });
  afterAll(() => gh.close());

  beforeEach(async () => {
    gh.deny = false;
    gh.user = {
      id: 12345,
      login: 'octocat',
      name: 'The Octocat',
      email: null,
      avatar_url: 'https://avatars.example/u/1',
    };
    gh.emails = [
      { email: 'octocat@users.example', primary: false, verified: true, visibility: null },
      { email: 'octocat@github.example', primary: true, verified: true, visibility: 'public' },
    ];
    t = await startTestServer({
      upstream: [createConnections({ clock: () => t.clock(), allowInsecureLocalhost: true })],
    });
    await addGitHub();
  });
  afterEach(() => t.close());

  /** The preset with its endpoints pointed at the test server, as for GitHub Enterprise. */
  function addGitHub(settings: Record<string, unknown> = {}) {
    return t.admin.addConnection({
      name: 'github',
      type: 'github',
      clientSecret: gh.clientSecret,
      enabledClients: [t.spa],
      settings: { clientId: gh.clientId, ...gh.endpoints, ...settings },
    });
  }

  async function signIn(overrides: Record<string, string> = {}) {
    const warden = new Browser(t);
    const trip = await clickConnection(t, warden, 'github', 'GitHub', overrides);
    const { callback } = await visitUpstream(new UpstreamBrowser(), trip.upstream.href, issuer);
    return { trip, warden, response: await warden.get(callback) };
  }

  it('signs in as github|<id> with the primary verified email of /user/emails, the login and the avatar', async () => {
    const { trip, response } = await signIn();
    const asked = trip.upstream.searchParams;
    expect(`${trip.upstream.origin}${trip.upstream.pathname}`).toBe(gh.endpoints.authorizationEndpoint);
    expect(asked.get('scope')).toBe('read:user user:email');
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('nonce')).toBeNull();

    const app = await expectAppSignedIn(t, response, trip);
    expect(app.claims.sub).toBe('github|12345');
    expect(app.userinfo).toMatchObject({
      sub: 'github|12345',
      name: 'The Octocat',
      nickname: 'octocat',
      picture: 'https://avatars.example/u/1',
      email: 'octocat@github.example',
      email_verified: true,
    });
    // GitHub's way: the secret in the form, and JSON only when asked for it.
    expect(gh.lastToken?.form.get('client_secret')).toBe(gh.clientSecret);
    expect(gh.lastToken?.authorization).toBeUndefined();
    expect(gh.lastToken?.accept).toContain('application/json');
    expect(gh.lastToken?.form.get('code_verifier')).toBeTruthy();
  });

  it('keeps the public email, not verified, when no primary address is verified', async () => {
    gh.user = { ...gh.user, email: 'public@octo.example' };
    gh.emails = [{ email: 'octocat@github.example', primary: true, verified: false, visibility: null }];
    const { trip, response } = await signIn();
    const app = await expectAppSignedIn(t, response, trip);
    expect(app.userinfo).toMatchObject({ email: 'public@octo.example', email_verified: false });
  });

  it('does without /user/emails when the scope for it is not granted', async () => {
    await t.admin.updateConnection('github', { settings: { scopes: ['read:user'] } });
    gh.user = { ...gh.user, email: 'public@octo.example' };
    const { trip, response } = await signIn();
    expect(trip.upstream.searchParams.get('scope')).toBe('read:user');
    const app = await expectAppSignedIn(t, response, trip);
    expect(app.userinfo).toMatchObject({
      sub: 'github|12345',
      email: 'public@octo.example',
      email_verified: false,
    });
  });

  it("passes the app's login_hint as GitHub's login parameter", async () => {
    const trip = await goStraightUpstream(t, new Browser(t), 'github', { login_hint: 'octocat' });
    expect(trip.upstream.searchParams.get('login')).toBe('octocat');
    expect(trip.upstream.searchParams.get('login_hint')).toBeNull();
  });

  it('leaves PKCE out when the connection turns it off', async () => {
    await t.admin.updateConnection('github', { settings: { pkce: false } });
    const { trip, response } = await signIn();
    expect(trip.upstream.searchParams.get('code_challenge')).toBeNull();
    expect((await expectAppSignedIn(t, response, trip)).claims.sub).toBe('github|12345');
    expect(gh.lastToken?.form.get('code_verifier')).toBeNull();
  });

  it('sends a cancelled sign-in back to the app as access_denied, with its state', async () => {
    gh.deny = true;
    const { trip, response } = await signIn();
    expectRedirectError(response, { error: 'access_denied', state: trip.request.state, issuer });
  });

  it('refuses a profile without an id', async () => {
    const { id: _id, ...anonymous } = gh.user;
    gh.user = anonymous;
    const { response } = await signIn();
    await expectErrorPage(response, 502, 'did not say which account signed in');
  });

  it('shows a page when the token endpoint refuses the code (GitHub answers errors with 200)', async () => {
    const warden = new Browser(t);
    const trip = await goStraightUpstream(t, warden, 'github');
    const { callback } = await visitUpstream(new UpstreamBrowser(), trip.upstream.href, issuer);
    const tampered = new URL(callback);
    tampered.searchParams.set('code', 'not-a-code');
    await expectErrorPage(
      await warden.get(tampered.href),
      502,
      'GitHub answered with something Warden cannot use',
    );
  });
});
