import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorPage } from '../../server/test/browser-helpers.js';
import { Browser, issuer, startTestServer, type TestServer } from '../../server/test/harness.js';
import { createConnections } from '../src/index.js';
import { type ScriptedOp, startScriptedOp } from './scripted-op.js';
import { expectAppSignedIn, goStraightUpstream } from './warden-side.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL upstream sign-in tests.');

/** The upstream transaction and the new user's identity in PostgreSQL, as several idp processes share it. */
describe.skipIf(!databaseUrl)('upstream sign-in on PostgreSQL', () => {
  let op: ScriptedOp;
  let t: TestServer;

  beforeEach(async () => {
    op = await startScriptedOp({ clock: () => t.clock(), redirectUri: `${issuer}login/callback` });
    t = await startTestServer(
      { upstream: [createConnections({ clock: () => t.clock(), allowInsecureLocalhost: true })] },
      { databaseUrl: databaseUrl! },
    );
    await t.admin.addConnection({
      name: 'scripted',
      type: 'oidc',
      displayName: 'Scripted Provider',
      clientSecret: op.clientSecret,
      enabledClients: [t.spa],
      settings: { issuer: op.issuer, clientId: op.clientId },
    });
  });
  afterEach(async () => {
    await t.close();
    await op.stop();
  });

  async function toCallback(warden: Browser) {
    const trip = await goStraightUpstream(t, warden, 'scripted');
    const answer = await fetch(trip.upstream, { redirect: 'manual' });
    return { trip, callback: answer.headers.get('location')! };
  }

  it('signs in as the upstream account, and refuses a callback another browser brings', async () => {
    const warden = new Browser(t);
    const { trip, callback } = await toCallback(warden);
    const app = await expectAppSignedIn(t, await warden.get(callback), trip);
    expect(app.claims.sub).toBe('oidc|scripted|user-1');
    const again = await toCallback(new Browser(t));
    const second = new Browser(t);
    await expectErrorPage(await second.get(again.callback), 400, 'started in another browser');
  });

  it('lets one of two racing callbacks with the same state through, and refuses the other', async () => {
    const warden = new Browser(t);
    const { callback } = await toCallback(warden);
    const answers = await Promise.all([warden.get(callback), warden.get(callback)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([303, 400]);
    expect(op.counts.token).toBe(1);
  });
});
