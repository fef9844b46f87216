import { describe, expect, it } from 'vitest';
import { spaRequest } from './browser-helpers.js';
import { expectRefusal } from './expect-refusal.js';
import { Browser, hiddenFields, password, spaCallback, type TestServer, useTestServer } from './harness.js';

/**
 * What the text of a parameter may be, at every endpoint and on every storage: control characters
 * (NUL above all, which PostgreSQL text cannot hold) and percent-encoding that is broken or not
 * UTF-8 are refused with `invalid_request` before anything is looked up or stored.
 */

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.warn('DATABASE_URL is unset: skipping the PostgreSQL parameter text tests.');

const form = 'application/x-www-form-urlencoded';
const sameOrigin = { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' };

function post(t: TestServer, path: string, body: string, headers: Record<string, string> = {}) {
  return t.request(path, { method: 'POST', headers: { 'content-type': form, ...headers }, body });
}

function basic(raw: string): string {
  return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
}

/** A browser at a genuine sign-in form; `submit` posts the form's hidden fields and raw `extra`. */
async function atSignIn(t: TestServer, path: '/u/login' | '/u/signup' = '/u/login') {
  const browser = new Browser(t);
  const redirect = await browser.get((await spaRequest(t)).url);
  const interaction = new URL(redirect.headers.get('location')!).searchParams.get('interaction')!;
  const page = await browser.get(`${path}?interaction=${interaction}`);
  const fields = hiddenFields(await page.text());
  return {
    browser,
    /** Posts the form with `extra` appended as it is (already form-encoded). */
    submit: (extra: string) =>
      t.request(path, {
        method: 'POST',
        headers: { 'content-type': form, cookie: browser.jar.header(), ...sameOrigin },
        body: `${new URLSearchParams(fields).toString()}&${extra}`,
      }),
  };
}

const storages: [string, string | undefined][] = [
  ['SQLite', undefined],
  ['PostgreSQL', databaseUrl],
];

for (const [storage, url] of storages) {
  describe.skipIf(storage === 'PostgreSQL' && !url)(`parameter text (${storage})`, () => {
    const t = useTestServer({ scope: 'all', ...(url ? { databaseUrl: url } : {}) });

    describe('control characters in identifiers', () => {
      const controls = ['%00', '%01', '%09', '%0A', '%0D', '%1F', '%7F', '%C2%80', '%C2%85', '%C2%9F'];

      it.each(controls)('token: client_id with %s', async (control) => {
        const response = await post(
          t(),
          '/oauth/token',
          `grant_type=client_credentials&client_id=a${control}&client_secret=x`,
        );
        await expectRefusal(response, { kind: 'json', status: 400, error: 'invalid_request' });
      });

      it('token: a literal NUL byte, a control in a parameter name, or in any other field', async () => {
        for (const body of [
          'grant_type=client_credentials&client_id=a\u0000&client_secret=x',
          `grant_type=client_credentials&client_id=${t().m2m.client_id}&client_secret=${t().m2m.client_secret}&x%00=1`,
          `grant_type=client_credentials&client_id=${t().m2m.client_id}&client_secret=${t().m2m.client_secret}&audience=a%00`,
          `grant_type=client_credentials%00&client_id=${t().m2m.client_id}&client_secret=${t().m2m.client_secret}`,
        ]) {
          await expectRefusal(await post(t(), '/oauth/token', body), {
            kind: 'json',
            status: 400,
            error: 'invalid_request',
          });
        }
      });

      it('token, revoke, introspect: client_id in Basic credentials', async () => {
        for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect']) {
          for (const credentials of ['a%00:x', 'a\u0000:x', `${t().web.client_id}:x%00`]) {
            const response = await post(t(), path, 'grant_type=client_credentials&token=x', {
              authorization: basic(credentials),
            });
            await expectRefusal(response, { kind: 'json', status: 400, error: 'invalid_request' });
          }
        }
      });

      it('revoke and introspect: client_id in the body', async () => {
        for (const [path, body] of [
          ['/oauth/revoke', 'client_id=a%00&token=x'],
          ['/oauth/introspect', 'client_id=a%00&client_secret=x&token=x'],
          ['/oauth/revoke', `client_id=${t().spa}&token=x%00`],
        ] as const) {
          await expectRefusal(await post(t(), path, body), {
            kind: 'json',
            status: 400,
            error: 'invalid_request',
          });
        }
      });

      it('authorize: client_id or nonce, in the query or a form post', async () => {
        const client = (await spaRequest(t(), { client_id: 'a\u0000' })).url;
        const nonce = (await spaRequest(t(), { nonce: 'n\u0000' })).url;
        for (const path of [client, nonce]) {
          await expectRefusal(await new Browser(t()).get(path), {
            kind: 'page',
            status: 400,
            error: 'invalid_request',
          });
          const query = path.slice(path.indexOf('?') + 1);
          await expectRefusal(await post(t(), '/authorize', query), {
            kind: 'page',
            status: 400,
            error: 'invalid_request',
          });
        }
      });

      it('authorize: a nonce with NUL from a signed-in browser issues no code', async () => {
        const browser = new Browser(t());
        const first = await browser.get((await spaRequest(t())).url);
        await browser.signIn(first.headers.get('location')!, 'user@example.com');
        const response = await browser.get((await spaRequest(t(), { nonce: 'n\u0000' })).url);
        await expectRefusal(response, { kind: 'page', status: 400, error: 'invalid_request' });
      });

      it('logout, v2/logout and logout/confirm: client_id', async () => {
        for (const path of ['/logout?client_id=a%00', '/v2/logout?client_id=a%00']) {
          await expectRefusal(await t().request(path), {
            kind: 'page',
            status: 400,
            error: 'invalid_request',
          });
        }
        const confirm = await post(t(), '/logout/confirm', 'client_id=a%00&decision=confirm', sameOrigin);
        await expectRefusal(confirm, { kind: 'page', status: 400, error: 'invalid_request' });
      });

      it('login: a login with NUL or a tab, in a genuine sign-in form', async () => {
        for (const login of ['user%40example.com%00', '%00', 'user%40example.com%09']) {
          const { submit } = await atSignIn(t());
          const response = await submit(`login=${login}&password=x`);
          await expectRefusal(response, { kind: 'page', status: 400, error: 'invalid_request' });
        }
      });

      it('signup: a name with NUL creates no account', async () => {
        const { submit } = await atSignIn(t(), '/u/signup');
        const response = await submit(
          'email=nul-name%40example.com&name=Bilbo%00&password=long+enough+password',
        );
        await expectRefusal(response, { kind: 'page', status: 400, error: 'invalid_request' });
        expect(await t().server.context.storage.users.findByLogin('nul-name@example.com')).toBeUndefined();
      });
    });

    describe('free text (the password)', () => {
      it('refuses NUL in a password', async () => {
        const { submit } = await atSignIn(t());
        const response = await submit('login=user%40example.com&password=correct%00horse');
        await expectRefusal(response, { kind: 'page', status: 400, error: 'invalid_request' });
      });

      it('lets other unusual characters through to the password check', async () => {
        for (const pw of ['correct%09horse', 'correct%C2%85horse', '%7F%1B%0D%0A']) {
          const { submit } = await atSignIn(t());
          const response = await submit(`login=user%40example.com&password=${pw}`);
          expect(response.status).toBe(401);
          expect(await response.text()).toContain('Wrong email, username or password.');
        }
      });

      it('still signs in with the right password', async () => {
        const { submit } = await atSignIn(t());
        const response = await submit(`login=user%40example.com&password=${encodeURIComponent(password)}`);
        expect(response.status).toBe(303);
        expect(response.headers.get('location')).toMatch(/^http:\/\/localhost:4200\/callback\?code=/);
      });
    });

    describe('strict percent-decoding', () => {
      const broken = [
        '%FF',
        '%C3',
        '%C3%28',
        '%E0%80%80',
        '%ED%A0%80',
        '%F4%90%80%80',
        '%G1',
        '%',
        '%2',
        'a%zz',
      ];

      it.each(broken)('token: a client_id of %s', async (value) => {
        const response = await post(t(), '/oauth/token', `grant_type=client_credentials&client_id=${value}`);
        await expectRefusal(response, { kind: 'json', status: 400, error: 'invalid_request' });
      });

      it.each(broken)('authorize: a parameter of %s in the query', async (value) => {
        const { url } = await spaRequest(t());
        await expectRefusal(await new Browser(t()).get(`${url}&extra=${value}`), {
          kind: 'page',
          status: 400,
          error: 'invalid_request',
        });
      });

      it('logout: a state that is not UTF-8', async () => {
        await expectRefusal(await t().request('/logout?state=%FF'), {
          kind: 'page',
          status: 400,
          error: 'invalid_request',
        });
      });

      it('signup: an email that is not UTF-8 creates no account', async () => {
        const { submit } = await atSignIn(t(), '/u/signup');
        const response = await submit('email=x%FF%40example.com&password=long+enough+password');
        await expectRefusal(response, { kind: 'page', status: 400, error: 'invalid_request' });
        expect(await t().server.context.storage.users.findByLogin('x\ufffd@example.com')).toBeUndefined();
      });

      it('decodes valid percent-encoding, plus signs and UTF-8 as before', async () => {
        const { client_id, client_secret } = t().m2m;
        const response = await post(
          t(),
          '/oauth/token',
          `grant_type=client_credentials&client_id=${client_id}&client_secret=${client_secret}&audience=http%3A%2F%2Flocalhost%3A3001%2Fapi%2F`,
        );
        expect(response.status).toBe(200);
        const state = 'caf\u00e9 100% \u{1f409}+';
        const { url } = await spaRequest(t(), { prompt: 'none', state });
        const refused = await new Browser(t()).get(url);
        expect(refused.status).toBe(303);
        const location = new URL(refused.headers.get('location')!);
        expect(`${location.origin}${location.pathname}`).toBe(spaCallback);
        expect(location.searchParams.get('state')).toBe(state);
      });
    });
  });
}
