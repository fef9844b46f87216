import { describe, expect, it } from 'vitest';
import { hashToken } from '../src/tokens/hash-token.js';
import { auditStorages, logText } from './audit-helpers.js';
import { apiId, Browser, basic, password, signInWithCode, tokenRequest, useTestServer } from './harness.js';
import { spaAuthorize, testUpstream, upstreamCallback, upstreamState } from './test-upstream.js';
import {
  clientCredentials,
  exchangeCode,
  exchangeWebCode,
  refreshAsSpa,
  signInWeb,
  spaTokens,
  type TokenBody,
} from './token-helpers.js';

/**
 * No secret a flow handles ends up in the audit log: after flows that handle passwords, client
 * secrets, tokens, codes and upstream secrets — rightly and wrongly — the whole table is searched
 * for each of them and for what the database stores of them.
 */

const accounts = { rider: { id: 'rider-7', email: 'rider@guild.example', emailVerified: true, raw: {} } };

for (const [storage, url] of auditStorages()) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`the audit log holds no secret (${storage})`, () => {
    const t = useTestServer({
      overrides: { upstream: [testUpstream(accounts)] },
      ...(url ? { databaseUrl: url } : {}),
    });

    it('never writes a secret a flow handled: passwords, client secrets, tokens, codes, hashes', async () => {
      const secrets: string[] = [password, t().web.client_secret, t().m2m.client_secret];
      // A user signs in with a password (and mistypes it once), the app gets and refreshes tokens.
      const wrongPassword = 'typed by mistake 1234';
      secrets.push(wrongPassword);
      const first = await signInWithCode(t());
      const { body } = await spaTokens(t());
      secrets.push(first.code, first.verifier, body.access_token, body.refresh_token!, body.id_token!);
      const refreshed = (await (await refreshAsSpa(t(), body.refresh_token!)).json()) as TokenBody;
      secrets.push(refreshed.access_token, refreshed.refresh_token!);
      // The spent token again after the grace window: reuse, family revoked.
      t().advance(60);
      await refreshAsSpa(t(), body.refresh_token!);
      await exchangeCode(t(), first);
      await exchangeCode(t(), first); // replayed
      // The confidential web client, with its secret, a wrong secret, and a code.
      const web = await signInWeb(t());
      secrets.push(web.code);
      const webTokens = (await (await exchangeWebCode(t(), web)).json()) as TokenBody;
      secrets.push(webTokens.access_token, webTokens.refresh_token!);
      const wrongSecret = 'z'.repeat(43);
      secrets.push(wrongSecret);
      await tokenRequest(
        t(),
        { grant_type: 'refresh_token', refresh_token: webTokens.refresh_token! },
        { authorization: basic(t().web.client_id, wrongSecret) },
      );
      await tokenRequest(t(), {
        grant_type: 'client_credentials',
        client_id: t().m2m.client_id,
        client_secret: wrongSecret,
      });
      const m2m = (await (await clientCredentials(t(), { audience: apiId })).json()) as TokenBody;
      secrets.push(m2m.access_token);
      // Wrong passwords at the login form.
      const signInAttempt = new Browser(t());
      const start = await signInAttempt.get(
        `/authorize?${new URLSearchParams({
          response_type: 'code',
          client_id: t().spa,
          redirect_uri: 'http://localhost:4200/callback',
          scope: 'openid',
          code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
          code_challenge_method: 'S256',
        })}`,
      );
      await signInAttempt.signIn(start.headers.get('location')!, 'user@example.com', wrongPassword);
      // An upstream sign-in whose upstream tokens the connection keeps (sealed).
      const upstreamSecret = 'upstream-client-secret-value';
      secrets.push(upstreamSecret, 'upstream-token-of-rider-7');
      await t().admin.addConnection({
        name: 'guild',
        type: 'test',
        enabledClients: [t().spa],
        clientSecret: upstreamSecret,
        storeTokens: true,
      });
      const rider = new Browser(t());
      const { response } = await spaAuthorize(t(), rider, { connection: 'guild' });
      const toUpstream = await rider.get(response.headers.get('location')!);
      await upstreamCallback(rider, upstreamState(toUpstream), { account: 'rider' });
      // Administration that handles secrets: a given client secret, a new password.
      const givenSecret = 'g'.repeat(48);
      const newPassword = 'a brand new password';
      secrets.push(givenSecret, newPassword);
      await t().admin.addClient({
        type: 'web',
        name: 'Given',
        callbacks: ['https://given.example/cb'],
        secret: givenSecret,
      });
      await t().admin.setPassword('user@example.com', newPassword);
      // What the database holds for them.
      const { storage } = t().server.context;
      const stored = [
        (await storage.users.get(t().userId))!.passwordHash!,
        (await storage.clients.get(t().web.client_id))!.secretHash!,
        (await storage.clients.get(t().m2m.client_id))!.secretHash!,
        (await storage.connections.get('guild'))!.sealedSecret!,
        (await storage.identities.get('guild', 'rider-7'))!.sealedTokens!,
        hashToken(body.refresh_token!),
        hashToken(first.code),
      ];

      const text = await logText(t());
      expect(text).toContain('"type":"s"');
      expect(text).toContain('"type":"ferrt"');
      expect(text).toContain('"type":"fp"');
      expect(text).toContain('"type":"sapi"');
      for (const secret of [...secrets, ...stored]) {
        expect(secret.length).toBeGreaterThan(8);
        expect(text.includes(secret), `a secret is in the log: ${secret.slice(0, 12)}…`).toBe(false);
      }
    });
  });
}
