import { randomToken, signJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { expectRefusal } from './expect-refusal.js';
import { apiId, basic, type TestServer, useTestServer } from './harness.js';

/**
 * Tokens signed with the idp's own current key whose claims have the wrong type or an impossible
 * value: the idp's endpoints judge them as APIs do (`invalid_token`, inactive, ignored), on every
 * storage, never with a 500.
 */

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL own-token claim tests.');

/** An access token for the web client, signed by the idp's current RS256 key, with `claims` on top. */
async function accessToken(t: TestServer, claims: Record<string, unknown> = {}): Promise<string> {
  const now = Math.floor(t.clock() / 1000);
  const key = await t.server.context.keys.signingKey('RS256');
  const payload = {
    iss: t.issuer,
    sub: t.userId,
    aud: [apiId, `${t.issuer}userinfo`],
    client_id: t.web.client_id,
    scope: 'openid profile',
    iat: now,
    exp: now + 600,
    jti: randomToken(16),
    ...claims,
  };
  return signJwt(payload, key, { typ: 'at+jwt' });
}

function form(t: TestServer, path: string, body: Record<string, string>) {
  return t.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(t.web.client_id, t.web.client_secret),
    },
    body: new URLSearchParams(body).toString(),
  });
}

/** Claims of the wrong type or beyond a NumericDate, each making the token invalid. */
function badClaims(now: number): [string, Record<string, unknown>][] {
  return [
    ['scope as an array', { scope: ['openid', 'profile'] }],
    ['scope as an object', { scope: { openid: true } }],
    ['scope as a number', { scope: 7 }],
    ['sub as a number', { sub: 42 }],
    ['sub as an array', { sub: ['a'] }],
    ['an empty sub', { sub: '' }],
    ['sub with NUL', { sub: 'user\u0000' }],
    ['client_id as a number', { client_id: 7 }],
    ['client_id with NUL', { client_id: 'web\u0000' }],
    ['no client_id', { client_id: undefined }],
    ['jti as a number', { jti: 7 }],
    ['jti with NUL', { jti: 'j\u0000' }],
    ['no jti', { jti: undefined }],
    ['a fractional exp', { exp: now + 600.5 }],
    ['an exp of 1e300', { exp: 1e300 }],
    ['exp as a string', { exp: String(now + 600) }],
    ['a fractional iat', { iat: now - 0.5 }],
    ['a negative iat', { iat: -5 }],
    ['no iat', { iat: undefined }],
    ['a fractional nbf', { nbf: now - 0.5 }],
    ['roles as a string', { roles: 'admin' }],
    ['permissions of numbers', { permissions: [1] }],
    ['sid as a number', { sid: 7 }],
  ];
}

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`claims of tokens the idp signed (${storage})`, () => {
    const t = useTestServer({ scope: 'all', ...(url ? { databaseUrl: url } : {}) });
    const cases = badClaims(0).map(([name]) => name);
    const claimsOf = (name: string) => {
      const found = badClaims(Math.floor(t().clock() / 1000)).find(([label]) => label === name);
      if (!found) throw new Error(name);
      return found[1];
    };

    it('accepts the well-formed token every case below changes', async () => {
      const token = await accessToken(t());
      const response = await t().request('/userinfo', { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ sub: t().userId });
      expect(await (await form(t(), '/oauth/introspect', { token })).json()).toMatchObject({ active: true });
    });

    it.each(cases)('userinfo refuses %s', async (name) => {
      const token = await accessToken(t(), claimsOf(name));
      const response = await t().request('/userinfo', { headers: { authorization: `Bearer ${token}` } });
      await expectRefusal(response, { kind: 'json', status: 401, error: 'invalid_token' });
      expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    });

    it.each(cases)('introspection says inactive for %s', async (name) => {
      const token = await accessToken(t(), claimsOf(name));
      const response = await form(t(), '/oauth/introspect', { token, token_type_hint: 'access_token' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ active: false });
    });

    it.each(cases)('revocation answers 200 and revokes nothing for %s', async (name) => {
      const before = (await (await t().request('/oauth/revocations?after=0')).json()) as { last_seq: number };
      const token = await accessToken(t(), claimsOf(name));
      const response = await form(t(), '/oauth/revoke', { token });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
      const after = (await (await t().request(`/oauth/revocations?after=${before.last_seq}`)).json()) as {
        entries: unknown[];
      };
      expect(after.entries).toEqual([]);
    });

    it('introspection describes a token with its own answer, whatever claims the token carries', async () => {
      const token = await accessToken(t(), { active: false, token_type: 'refresh_token' });
      const body = (await (await form(t(), '/oauth/introspect', { token })).json()) as Record<
        string,
        unknown
      >;
      expect(body).toMatchObject({ active: true, token_type: 'Bearer', sub: t().userId });
    });

    it('logout refuses an id_token_hint whose aud holds a control character', async () => {
      const now = Math.floor(t().clock() / 1000);
      const key = await t().server.context.keys.signingKey('RS256');
      for (const aud of ['a\u0000', ['a\u0000']]) {
        const hint = await signJwt({ iss: t().issuer, sub: t().userId, aud, iat: now, exp: now + 600 }, key, {
          typ: 'JWT',
        });
        await expectRefusal(await t().request(`/logout?id_token_hint=${hint}`), {
          kind: 'page',
          status: 400,
          error: 'invalid_request',
        });
      }
    });
  });
}
