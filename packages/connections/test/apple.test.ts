import { generateKeyPairSync } from 'node:crypto';
import type { PublicJwk } from '@warden/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectErrorPage, spaRequest } from '../../server/test/browser-helpers.js';
import {
  Browser,
  hiddenFields,
  issuer,
  startTestServer,
  type TestServer,
} from '../../server/test/harness.js';
import { createConnections } from '../src/index.js';
import { type ScriptedOp, startScriptedOp } from './scripted-op.js';
import { expectAppSignedIn, goStraightUpstream } from './warden-side.js';

const TEAM_ID = 'TEAM123456';
const KEY_ID = 'KEY1234567';

/**
 * The `apple` preset against an OpenID Provider that behaves as Apple's does (its issuer overridden
 * to the test's): the client secret is an ES256 JWT made from the `.p8` key for each token request
 * (the provider verifies it), the answer comes back as a form POST, and the name only in the
 * callback's `user` JSON.
 */
describe('Sign in with Apple', () => {
  let op: ScriptedOp;
  let t: TestServer;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  beforeEach(async () => {
    op = await startScriptedOp({
      clock: () => t.clock(),
      redirectUri: `${issuer}login/callback`,
      apple: {
        teamId: TEAM_ID,
        publicJwk: {
          ...publicKey.export({ format: 'jwk' }),
          alg: 'ES256',
          kid: KEY_ID,
          use: 'sig',
        } as PublicJwk,
      },
    });
    t = await startTestServer({
      upstream: [createConnections({ clock: () => t.clock(), allowInsecureLocalhost: true })],
    });
    await t.admin.addConnection({
      name: 'apple',
      type: 'apple',
      // A secret holds no line breaks: the .p8 file's lines joined with spaces.
      clientSecret: p8.trim().replace(/\n/g, ' '),
      enabledClients: [t.spa],
      settings: { clientId: op.clientId, teamId: TEAM_ID, keyId: KEY_ID, issuer: op.issuer },
    });
  });
  afterEach(async () => {
    await t.close();
    await op.stop();
  });

  it('signs in through a form post, with the name from the user parameter and the email from the ID token', async () => {
    const warden = new Browser(t);
    const trip = await goStraightUpstream(t, warden, 'apple');
    expect(trip.upstream.searchParams.get('response_mode')).toBe('form_post');
    expect(trip.upstream.searchParams.get('scope')).toBe('name email');

    const page = await fetch(trip.upstream, { redirect: 'manual' });
    const html = await page.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    expect(action).toBe(`${issuer}login/callback`);
    // The form arrives from the provider's site: a cross-site POST.
    const response = await warden.post(action!, hiddenFields(html), {
      origin: op.issuer,
      'sec-fetch-site': 'cross-site',
    });
    const app = await expectAppSignedIn(t, response, trip);
    expect(app.claims.sub).toBe('apple|user-1');
    expect(app.userinfo).toMatchObject({
      name: 'Ada Apple',
      given_name: 'Ada',
      family_name: 'Apple',
      // From the ID token (Apple's "true" is text), never the unsigned user JSON's.
      email: 'user-1@scripted.example',
      email_verified: true,
    });
  });

  it('shows a page before the browser leaves when the key cannot be read', async () => {
    await t.admin.updateConnection('apple', { clientSecret: 'not-a-p8-key' });
    const warden = new Browser(t);
    const first = await warden.get((await spaRequest(t, { connection: 'apple' })).url);
    await expectErrorPage(await warden.get(first.headers.get('location')!), 503, 'its private key');
  });
});
