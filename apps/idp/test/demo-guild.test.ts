import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoIdps, startDemoIdps } from './demo-system.js';
import { connectionLink, hasPasswordForm, signInRequest } from './hosted-pages.js';
import { WebBrowser } from './web-browser.js';

const appCallback = 'http://localhost:4200/callback';
const rider = { email: 'rider@guild.example', password: 'guild-rider', name: 'Hiccup Haddock' };

/** The claims of an ID token (the idp signed it; the token endpoint gave it to us directly). */
function claims(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}

// The guild and the idp are real processes (Node + tsx each: a few seconds apiece to start on a
// loaded two-core machine); the time goes to start-up, which these tests do not judge.
describe('the demo: Dragon Riders Guild as the connection guild', { timeout: 60_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-demo-guild-'));
  let demo: DemoIdps;
  const atAppCallback = (url: URL) => url.href.startsWith(appCallback);

  beforeAll(async () => {
    demo = await startDemoIdps(dataDir);
  }, 90_000);

  afterAll(async () => {
    await demo?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Exchanges the code of the app's callback at the idp; returns the ID token's claims. */
  async function redeem(callback: URL, request: { verifier: string; state: string }) {
    expect(callback.searchParams.get('state')).toBe(request.state);
    const code = callback.searchParams.get('code');
    expect(code, `the app's callback: ${callback.href}`).toBeTruthy();
    const response = await fetch(new URL('oauth/token', demo.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: appCallback,
        client_id: 'dragons-spa',
        code_verifier: request.verifier,
      }),
    });
    expect(response.status).toBe(200);
    return claims(((await response.json()) as { id_token: string }).id_token);
  }

  it('signs a rider in to the Dragons app at the guild, then again on the guild session alone', async () => {
    const browser = new WebBrowser();
    const first = signInRequest(demo.issuer, 'dragons-spa', appCallback);
    const login = await browser.navigate(first.url);
    expect(login.url.href.startsWith(demo.issuer)).toBe(true);
    const atGuild = await browser.navigate(
      new URL(connectionLink(login.html, 'Dragon Riders Guild'), login.url).href,
      { from: login.url.href, stop: atAppCallback },
    );
    expect(atGuild.url.origin).toBe(new URL(demo.guildIssuer).origin);
    expect(hasPasswordForm(atGuild.html)).toBe(true);
    const back = await browser.submit(
      atGuild,
      { login: rider.email, password: rider.password },
      atAppCallback,
    );
    expect(back.visited.map((url) => url.origin + url.pathname)).toContain(`${demo.issuer}login/callback`);
    const signedIn = await redeem(back.url, first);
    expect(signedIn).toMatchObject({
      iss: demo.issuer,
      aud: 'dragons-spa',
      name: rider.name,
      email: rider.email,
    });
    expect(String(signedIn.sub)).toMatch(/\|/);

    // Signed out at the idp (its session cookie gone), still signed in at the guild: the next
    // sign-in with the guild asks for no password anywhere, and it is the same user.
    browser.jar(demo.issuer).set('warden_session', 'signed-out');
    const second = signInRequest(demo.issuer, 'dragons-spa', appCallback);
    const again = await browser.navigate(second.url);
    expect(hasPasswordForm(again.html)).toBe(true);
    const through = await browser.navigate(
      new URL(connectionLink(again.html, 'Dragon Riders Guild'), again.url).href,
      { from: again.url.href, stop: atAppCallback },
    );
    expect(through.visited.some((url) => url.origin === new URL(demo.guildIssuer).origin)).toBe(true);
    expect(atAppCallback(through.url), `stopped at ${through.url.href}`).toBe(true);
    expect((await redeem(through.url, second)).sub).toBe(signedIn.sub);
  });
});
