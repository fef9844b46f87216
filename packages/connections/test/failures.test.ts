import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorPage, expectRedirectError, spaRequest } from '../../server/test/browser-helpers.js';
import { Browser, issuer, type TestServer } from '../../server/test/harness.js';
import type { ScriptedOp, TokenScript } from './scripted-op.js';
import {
  expectAppSignedIn,
  goStraightUpstream,
  type ScriptedWorld,
  startScriptedWorld,
  type UpstreamTrip,
} from './warden-side.js';

/** Milliseconds an upstream call may take here: the hanging upstreams are waited for this long. */
const TIMEOUT = 2000;

/**
 * Everything that can go wrong at an upstream, with an OpenID Provider that fails on purpose: each
 * case ends on a clear page (or an error sent to the app), never a 500. Warden, the method and the
 * upstream share the test clock.
 */
describe('upstream failures', () => {
  let op: ScriptedOp;
  let t: TestServer;

  let world: ScriptedWorld;
  beforeEach(async () => {
    world = await startScriptedWorld({ timeout: TIMEOUT });
    ({ op, t } = world);
  });
  afterEach(() => world.stop());

  /** Begins a sign-in and lets the upstream answer; returns the callback URL it sends the browser to. */
  async function toCallback(
    warden = new Browser(t),
  ): Promise<{ trip: UpstreamTrip; callback: string; warden: Browser }> {
    const trip = await goStraightUpstream(t, warden, 'scripted');
    const answer = await fetch(trip.upstream, { redirect: 'manual' });
    expect(answer.status).toBe(303);
    return { trip, callback: answer.headers.get('location')!, warden };
  }

  it('signs in when the upstream behaves (the baseline of the cases below)', async () => {
    const { trip, callback, warden } = await toCallback();
    const app = await expectAppSignedIn(t, await warden.get(callback), trip);
    expect(app.claims.sub).toBe('oidc|scripted|user-1');
    expect(app.userinfo).toMatchObject({
      email: 'user-1@scripted.example',
      email_verified: true,
      name: 'Scripted User',
    });
  });

  describe('upstream down or slow: 503 temporarily_unavailable naming it', () => {
    it('refuses connections when the code is exchanged', async () => {
      const { callback, warden } = await toCallback();
      await op.stop();
      const html = await expectErrorPage(
        await warden.get(callback),
        503,
        'Scripted Provider is not answering',
      );
      expect(html).toContain('temporarily_unavailable');
    });

    it('does not answer the token request in time', async () => {
      op.token = 'hang';
      const { callback, warden } = await toCallback();
      await expectErrorPage(await warden.get(callback), 503, 'Scripted Provider is not answering');
    });

    it('starts answering, then stops half-way through the body', async () => {
      op.token = 'hang-body';
      const { callback, warden } = await toCallback();
      await expectErrorPage(await warden.get(callback), 503, 'Scripted Provider is not answering');
    });

    it('is down when the sign-in starts, once its discovery document is no longer cached: before the browser leaves', async () => {
      t.advance(11 * 60);
      await op.stop();
      const warden = new Browser(t);
      const response = await warden.get((await spaRequest(t, { connection: 'scripted' })).url);
      const start = await warden.get(response.headers.get('location')!);
      await expectErrorPage(start, 503, 'Scripted Provider is not answering');
    });
  });

  it('reuses the discovery document within discoveryTtl, by the configured clock', async () => {
    const first = op.counts.discovery;
    op.discovery = 'not-json';
    const { trip, callback, warden } = await toCallback();
    await expectAppSignedIn(t, await warden.get(callback), trip);
    expect(op.counts.discovery).toBe(first);

    t.advance(11 * 60);
    const again = new Browser(t);
    const response = await again.get((await spaRequest(t, { connection: 'scripted' })).url);
    await expectErrorPage(
      await again.get(response.headers.get('location')!),
      502,
      'Scripted Provider answered with something Warden cannot use',
    );
    expect(op.counts.discovery).toBe(first + 1);
  });

  describe('upstream answering garbage: 502', () => {
    it.each<[TokenScript, string]>([
      ['not-json', 'an HTML page instead of JSON'],
      ['no-access-token', 'JSON without an access token'],
    ])('%s: %s', async (script) => {
      op.token = script;
      const { callback, warden } = await toCallback();
      await expectErrorPage(
        await warden.get(callback),
        502,
        'Scripted Provider answered with something Warden cannot use',
      );
    });

    it('refuses the code with an OAuth error', async () => {
      op.token = 'invalid_grant';
      const { callback, warden } = await toCallback();
      await expectErrorPage(
        await warden.get(callback),
        502,
        'Scripted Provider refused to finish signing you in (invalid_grant)',
      );
    });
  });

  describe('an ID token that fails its checks: 403 access_denied', () => {
    it.each<[TokenScript, string]>([
      ['wrong-key', 'signed with a key the upstream does not publish'],
      ['wrong-aud', 'for another client'],
      ['wrong-iss', 'from another issuer'],
      ['wrong-nonce', 'with another nonce'],
      ['no-nonce', 'without the nonce'],
      ['expired', 'expired an hour ago'],
      ['wrong-azp', 'authorized for another party'],
    ])('%s: %s', async (script) => {
      op.token = script;
      const { callback, warden } = await toCallback();
      const html = await expectErrorPage(
        await warden.get(callback),
        403,
        "did not pass Warden's checks (its ID token is not valid)",
      );
      expect(html).toContain('access_denied');
    });
  });

  describe('the authorization answer', () => {
    it('access_denied goes back to the app with its state', async () => {
      op.authorize = 'deny';
      const { trip, callback, warden } = await toCallback();
      expectRedirectError(await warden.get(callback), {
        error: 'access_denied',
        state: trip.request.state,
        issuer,
      });
    });

    it('another upstream error is a page naming the provider and the error', async () => {
      op.authorize = 'server_error';
      const { callback, warden } = await toCallback();
      await expectErrorPage(
        await warden.get(callback),
        502,
        'Scripted Provider could not sign you in (server_error)',
      );
    });

    it('temporarily_unavailable from the upstream is a 503 page', async () => {
      op.authorize = 'temporarily_unavailable';
      const { callback, warden } = await toCallback();
      await expectErrorPage(
        await warden.get(callback),
        503,
        'Scripted Provider cannot sign you in right now',
      );
    });

    it('an iss naming another issuer is refused before the code is used (mix-up)', async () => {
      op.authorize = 'wrong-iss';
      const { callback, warden } = await toCallback();
      await expectErrorPage(await warden.get(callback), 403, 'did not come from Scripted Provider');
      expect(op.counts.token).toBe(0);
    });
  });

  describe('state', () => {
    it('missing', async () => {
      const { callback, warden } = await toCallback();
      const stripped = new URL(callback);
      stripped.searchParams.delete('state');
      await expectErrorPage(
        await warden.get(stripped.href),
        400,
        'already finished, has expired, or was started in another browser',
      );
    });

    it('wrong', async () => {
      const { callback, warden } = await toCallback();
      const forged = new URL(callback);
      forged.searchParams.set('state', 'not-a-state-warden-made');
      await expectErrorPage(
        await warden.get(forged.href),
        400,
        'already finished, has expired, or was started in another browser',
      );
    });

    it('replayed after the sign-in finished', async () => {
      const { trip, callback, warden } = await toCallback();
      await expectAppSignedIn(t, await warden.get(callback), trip);
      await expectErrorPage(await warden.get(callback), 400, 'already finished');
      expect(op.counts.token).toBe(1);
    });

    it('brought back by another browser', async () => {
      const { callback } = await toCallback();
      await expectErrorPage(await new Browser(t).get(callback), 400, 'started in another browser');
      expect(op.counts.token).toBe(0);
    });
  });

  describe('the connection changed during the sign-in', () => {
    it('disabled for the app meanwhile', async () => {
      const { callback, warden } = await toCallback();
      await t.admin.disableConnection('scripted', t.spa);
      await expectErrorPage(
        await warden.get(callback),
        403,
        'Signing in with Scripted Provider is not enabled for Dragons',
      );
    });

    it('removed meanwhile', async () => {
      const { callback, warden } = await toCallback();
      await t.admin.removeConnection('scripted');
      await expectErrorPage(await warden.get(callback), 403, 'removed meanwhile');
      expect(op.counts.token).toBe(0);
    });
  });
});
