import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorPage } from '../../server/test/browser-helpers.js';
import { Browser, type TestServer } from '../../server/test/harness.js';
import type { ScriptedOp } from './scripted-op.js';
import {
  expectAppSignedIn,
  goStraightUpstream,
  type ScriptedWorld,
  startScriptedWorld,
} from './warden-side.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL upstream sign-in tests.');

/** The upstream transaction and the new user's identity in PostgreSQL, as several idp processes share it. */
describe.skipIf(!databaseUrl)('upstream sign-in on PostgreSQL', () => {
  let op: ScriptedOp;
  let t: TestServer;

  let world: ScriptedWorld;
  beforeEach(async () => {
    world = await startScriptedWorld({ databaseUrl: databaseUrl! });
    ({ op, t } = world);
  });
  afterEach(() => world.stop());

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
