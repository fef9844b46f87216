import { describe, expect, it } from 'vitest';
import { spaRequest } from './browser-helpers.js';
import { expectRefusal, stackTrace } from './expect-refusal.js';
import { Browser, hiddenFields, spaCallback, type TestServer, useTestServer } from './harness.js';

/**
 * Malformed requests to every endpoint. Whatever arrives, the answer is a 4xx: OAuth JSON with a
 * registered `error` code from the protocol endpoints, the HTML error page from the browser ones;
 * never a 500 and never a stack trace or internal detail.
 */

const t = useTestServer({ scope: 'all' });

type Kind = 'json' | 'page';

interface Case {
  name: string;
  path: string | ((t: TestServer) => string);
  init?: (t: TestServer) => RequestInit;
  kind: Kind;
  status?: number;
  error?: string;
}

const form = 'application/x-www-form-urlencoded';
const sameOrigin = { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' };

function post(body: BodyInit, headers: Record<string, string> = {}, extra: RequestInit = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': form, ...headers }, body, ...extra };
}

function basicHeader(raw: string): string {
  return `Basic ${Buffer.from(raw, 'latin1').toString('base64')}`;
}

/** A body of `size` bytes streamed without a Content-Length. */
function streamedBody(size: number): RequestInit {
  const chunk = new TextEncoder().encode('a'.repeat(1024));
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { method: 'POST', headers: { 'content-type': form }, body, duplex: 'half' } as RequestInit;
}

const invalidUtf8 = new Uint8Array([
  ...new TextEncoder().encode('grant_type=authorization_code&code='),
  0xff,
  0xfe,
  0xc3,
]);
const over64k = `grant_type=authorization_code&code=${'a'.repeat(64 * 1024)}`;
const tenThousandRepeats = Array.from({ length: 10_000 }, () => 'a=1').join('&');
const hugeToken = 'a'.repeat(100 * 1024);
const bigButUnderLimit = 'A'.repeat(60 * 1024);

const cases: Case[] = [
  // Token endpoint: the body
  {
    name: 'token: JSON body',
    path: '/oauth/token',
    init: () => post('{"grant_type":"client_credentials"}', { 'content-type': 'application/json' }),
    kind: 'json',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'token: text/plain body',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { 'content-type': 'text/plain' }),
    kind: 'json',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'token: multipart body',
    path: '/oauth/token',
    init: () => post('--x\r\n\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
    kind: 'json',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'token: no content type',
    path: '/oauth/token',
    init: () => ({ method: 'POST', body: new Uint8Array([0x61]) }),
    kind: 'json',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'token: form type with odd casing and charset',
    path: '/oauth/token',
    init: () =>
      post('grant_type=nope', { 'content-type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8' }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: body over 64 KiB',
    path: '/oauth/token',
    init: () => post(over64k),
    kind: 'json',
    status: 413,
    error: 'invalid_request',
  },
  {
    name: 'token: body over 64 KiB streamed without Content-Length',
    path: '/oauth/token',
    init: () => streamedBody(100 * 1024),
    kind: 'json',
    status: 413,
    error: 'invalid_request',
  },
  {
    name: 'token: Content-Length claims over 64 KiB',
    path: '/oauth/token',
    init: () => post('grant_type=x', { 'content-length': String(10 * 1024 * 1024) }),
    kind: 'json',
    status: 413,
    error: 'invalid_request',
  },
  {
    name: 'token: invalid UTF-8',
    path: '/oauth/token',
    init: () => post(invalidUtf8),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: empty body',
    path: '/oauth/token',
    init: () => post(''),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: missing grant_type',
    path: '/oauth/token',
    init: (t) => post(`client_id=${t.spa}&code=x`),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: unknown grant_type',
    path: '/oauth/token',
    init: (t) => post(`grant_type=password&client_id=${t.spa}&username=u&password=p`),
    kind: 'json',
    status: 400,
    error: 'unsupported_grant_type',
  },
  {
    name: 'token: grant_type as a URN nobody supports',
    path: '/oauth/token',
    init: (t) => post(`grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&client_id=${t.spa}`),
    kind: 'json',
    status: 400,
    error: 'unsupported_grant_type',
  },
  {
    name: 'token: 10,000 repeated parameters',
    path: '/oauth/token',
    init: () => post(tenThousandRepeats),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: repeated grant_type',
    path: '/oauth/token',
    init: (t) => post(`grant_type=authorization_code&grant_type=client_credentials&client_id=${t.spa}`),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: JSON sent as a form',
    path: '/oauth/token',
    init: () => post('{"grant_type":"authorization_code","code":"x"}'),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: operator-looking values',
    path: '/oauth/token',
    init: (t) =>
      post(
        `grant_type=authorization_code&client_id=${t.spa}&code=%7B%22%24ne%22%3Anull%7D&redirect_uri=${encodeURIComponent(spaCallback)}&code_verifier=${'a'.repeat(43)}`,
      ),
    kind: 'json',
    status: 400,
    error: 'invalid_grant',
  },
  {
    name: 'token: bracket parameters',
    path: '/oauth/token',
    init: (t) => post(`grant_type=authorization_code&client_id=${t.spa}&code[]=a&code[]=b`),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: NUL and control characters',
    path: '/oauth/token',
    init: (t) => post(`grant_type=refresh_token&client_id=${t.spa}&refresh_token=%00%01%1b%5B0m`),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'token: a 60 KB refresh token',
    path: '/oauth/token',
    init: (t) => post(`grant_type=refresh_token&client_id=${t.spa}&refresh_token=${bigButUnderLimit}`),
    kind: 'json',
    status: 400,
    error: 'invalid_grant',
  },
  {
    name: 'token: a 60 KB code',
    path: '/oauth/token',
    init: (t) =>
      post(
        `grant_type=authorization_code&client_id=${t.spa}&code=${bigButUnderLimit}&redirect_uri=x&code_verifier=y`,
      ),
    kind: 'json',
    status: 400,
    error: 'invalid_grant',
  },
  {
    name: 'token: a 60 KB client_id',
    path: '/oauth/token',
    init: () => post(`grant_type=client_credentials&client_id=${bigButUnderLimit}`),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: unknown client',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials&client_id=nobody&client_secret=x'),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },

  // Token endpoint: client authentication
  {
    name: 'token: Basic with invalid base64',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { authorization: 'Basic !!!not-base64!!!' }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic without credentials',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { authorization: 'Basic' }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic without a colon',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { authorization: basicHeader('justanid') }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic with an empty client id',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { authorization: basicHeader(':secret') }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic with broken percent-encoding',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { authorization: basicHeader('%zz:%') }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic with binary garbage',
    path: '/oauth/token',
    init: () =>
      post('grant_type=client_credentials', {
        authorization: `Basic ${Buffer.from([0xff, 0x3a, 0xfe, 0x00]).toString('base64')}`,
      }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic with a 60 KB header',
    path: '/oauth/token',
    init: () =>
      post('grant_type=client_credentials', { authorization: basicHeader(`${bigButUnderLimit}:x`) }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Bearer instead of Basic',
    path: '/oauth/token',
    init: () => post('grant_type=client_credentials', { authorization: 'Bearer abc' }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'token: Basic and client_secret both',
    path: '/oauth/token',
    init: (t) =>
      post(`grant_type=client_credentials&client_secret=x`, {
        authorization: basicHeader(`${t.m2m.client_id}:x`),
      }),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },

  // Userinfo
  { name: 'userinfo: no token', path: '/userinfo', kind: 'json', status: 401, error: 'invalid_request' },
  {
    name: 'userinfo: "Bearer" alone',
    path: '/userinfo',
    init: () => ({ headers: { authorization: 'Bearer' } }),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'userinfo: "Bearer" with two tokens',
    path: '/userinfo',
    init: () => ({ headers: { authorization: 'Bearer a b' } }),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'userinfo: token with forbidden characters',
    path: '/userinfo',
    init: () => ({ headers: { authorization: 'Bearer {"a":1}' } }),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'userinfo: Basic instead of Bearer',
    path: '/userinfo',
    init: () => ({ headers: { authorization: basicHeader('a:b') } }),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'userinfo: a 100 KB token',
    path: '/userinfo',
    init: () => ({ headers: { authorization: `Bearer ${hugeToken}` } }),
    kind: 'json',
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'userinfo: not a JWT',
    path: '/userinfo',
    init: () => ({ headers: { authorization: 'Bearer abc.def' } }),
    kind: 'json',
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'userinfo: JWT of empty objects',
    path: '/userinfo',
    init: () => ({ headers: { authorization: 'Bearer e30.e30.e30' } }),
    kind: 'json',
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'userinfo: unsigned JWT (alg none)',
    path: '/userinfo',
    init: () => ({
      headers: {
        authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from('{"sub":"x","client_id":"y","iss":"http://localhost:3000/","exp":9999999999}').toString('base64url')}.`,
      },
    }),
    kind: 'json',
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'userinfo: five-part (JWE-shaped) token',
    path: '/userinfo',
    init: () => ({ headers: { authorization: 'Bearer a.b.c.d.e' } }),
    kind: 'json',
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'userinfo: header JSON garbage',
    path: '/userinfo',
    init: () => ({
      headers: { authorization: `Bearer ${Buffer.from('{"alg":').toString('base64url')}.e30.AAAA` },
    }),
    kind: 'json',
    status: 401,
    error: 'invalid_token',
  },
  {
    name: 'userinfo: POST with a JSON body',
    path: '/userinfo',
    init: () => post('{"access_token":"x"}', { 'content-type': 'application/json' }),
    kind: 'json',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'userinfo: token in the header and the body',
    path: '/userinfo',
    init: () => post('access_token=abc', { authorization: 'Bearer abc' }),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },

  // Revocation and introspection
  {
    name: 'revoke: no client',
    path: '/oauth/revoke',
    init: () => post('token=abc'),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'revoke: missing token',
    path: '/oauth/revoke',
    init: (t) => post(`client_id=${t.spa}`),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'revoke: JSON body',
    path: '/oauth/revoke',
    init: () => post('{}', { 'content-type': 'application/json' }),
    kind: 'json',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'revoke: a 100 KB token',
    path: '/oauth/revoke',
    init: (t) => post(`client_id=${t.spa}&token=${hugeToken}`),
    kind: 'json',
    status: 413,
    error: 'invalid_request',
  },
  {
    name: 'introspect: public client',
    path: '/oauth/introspect',
    init: (t) => post(`client_id=${t.spa}&token=abc`),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'introspect: malformed Basic',
    path: '/oauth/introspect',
    init: () => post('token=abc', { authorization: 'Basic ===' }),
    kind: 'json',
    status: 401,
    error: 'invalid_client',
  },
  {
    name: 'introspect: invalid UTF-8',
    path: '/oauth/introspect',
    init: () => post(invalidUtf8),
    kind: 'json',
    status: 400,
    error: 'invalid_request',
  },

  // Unknown paths and methods
  { name: 'unknown path', path: '/nope', kind: 'json', status: 404, error: 'invalid_request' },
  {
    name: 'path traversal',
    path: '/%2e%2e/%2e%2e/etc/passwd',
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'encoded NUL in the path',
    path: '/authorize%00',
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'a 10 KB path',
    path: `/${'x'.repeat(10 * 1024)}`,
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  { name: 'GET /oauth/token', path: '/oauth/token', kind: 'json', status: 404, error: 'invalid_request' },
  {
    name: 'PUT /oauth/token',
    path: '/oauth/token',
    init: () => ({ method: 'PUT', body: 'x' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'DELETE /userinfo',
    path: '/userinfo',
    init: () => ({ method: 'DELETE' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'PATCH /authorize',
    path: '/authorize',
    init: () => ({ method: 'PATCH', body: 'x' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'PROPFIND /',
    path: '/',
    init: () => ({ method: 'PROPFIND' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'a made-up method',
    path: '/oauth/token',
    init: () => ({ method: 'BREW' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'OPTIONS /authorize',
    path: '/authorize',
    init: () => ({ method: 'OPTIONS' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'PUT /u/login',
    path: '/u/login',
    init: () => ({ method: 'PUT', body: 'x' }),
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },
  {
    name: 'GET /logout/confirm',
    path: '/logout/confirm',
    kind: 'json',
    status: 404,
    error: 'invalid_request',
  },

  // Browser endpoints answer with the error page
  {
    name: 'authorize: no parameters',
    path: '/authorize',
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'authorize: broken percent-encoding',
    path: '/authorize?client_id=%zz%&redirect_uri=%',
    kind: 'page',
    status: 400,
  },
  {
    name: 'authorize: a 60 KB client_id',
    path: `/authorize?client_id=${bigButUnderLimit}`,
    kind: 'page',
    status: 400,
    error: 'invalid_client',
  },
  {
    name: 'authorize: POST with a JSON body',
    path: '/authorize',
    init: () => post('{}', { 'content-type': 'application/json' }),
    kind: 'page',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'authorize: POST over 64 KiB',
    path: '/authorize',
    init: () => post(over64k),
    kind: 'page',
    status: 413,
    error: 'invalid_request',
  },
  {
    name: 'authorize: POST with invalid UTF-8',
    path: '/authorize',
    init: () => post(invalidUtf8),
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'authorize: 10,000 repeated parameters',
    path: `/authorize?${tenThousandRepeats}`,
    kind: 'page',
    status: 400,
  },
  {
    name: 'login page: no interaction',
    path: '/u/login',
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'login page: a 10 KB interaction id',
    path: `/u/login?interaction=${'a'.repeat(10 * 1024)}`,
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'login page: repeated interaction',
    path: '/u/login?interaction=a&interaction=b',
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'login POST: JSON body',
    path: '/u/login',
    init: () => post('{"login":"a"}', { 'content-type': 'application/json', ...sameOrigin }),
    kind: 'page',
    status: 415,
    error: 'invalid_request',
  },
  {
    name: 'login POST: over 64 KiB',
    path: '/u/login',
    init: () => post(over64k, sameOrigin),
    kind: 'page',
    status: 413,
    error: 'invalid_request',
  },
  {
    name: 'login POST: invalid UTF-8',
    path: '/u/login',
    init: () => post(invalidUtf8, sameOrigin),
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'login POST: 10,000 repeated parameters',
    path: '/u/login',
    init: () => post(tenThousandRepeats, sameOrigin),
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'login POST: empty body',
    path: '/u/login',
    init: () => post('', sameOrigin),
    kind: 'page',
    status: 403,
    error: 'invalid_request',
  },
  {
    name: 'signup POST: no interaction',
    path: '/u/signup',
    init: () => post('email=a%40b.c&password=12345678', sameOrigin),
    kind: 'page',
    status: 403,
    error: 'invalid_request',
  },
  {
    name: 'consent page: unknown interaction',
    path: '/u/consent?interaction=unknown',
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'consent POST: garbage',
    path: '/u/consent',
    init: () => post('interaction=%FF%FE&decision=allow', sameOrigin),
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'logout: a 100 KB id_token_hint',
    path: `/logout?id_token_hint=${hugeToken}`,
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'logout: garbage id_token_hint',
    path: '/logout?id_token_hint=%7B%22alg%22%3A%22none%22%7D',
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'logout: repeated parameters',
    path: '/logout?state=a&state=b',
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'logout: POST with invalid UTF-8',
    path: '/logout',
    init: () => post(invalidUtf8),
    kind: 'page',
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'logout confirm: JSON body',
    path: '/logout/confirm',
    init: () => post('{}', { 'content-type': 'application/json', ...sameOrigin }),
    kind: 'page',
    status: 415,
    error: 'invalid_request',
  },
];

describe('malformed input never gets a 500', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, testCase) => {
    const path = typeof testCase.path === 'function' ? testCase.path(t()) : testCase.path;
    const response = await t().request(path, testCase.init?.(t()));
    await expectRefusal(response, testCase);
  });

  it('refuses a token request whose Authorization header repeats', async () => {
    const headers = new Headers({ 'content-type': form });
    headers.append('authorization', basicHeader(`${t().m2m.client_id}:${t().m2m.client_secret}`));
    headers.append('authorization', basicHeader(`${t().m2m.client_id}:${t().m2m.client_secret}`));
    const response = await t().request('/oauth/token', {
      method: 'POST',
      headers,
      body: 'grant_type=client_credentials',
    });
    await expectRefusal(response, { kind: 'json', status: 401, error: 'invalid_client' });
  });

  it('ignores a garbage session cookie: the login page, not an error', async () => {
    const request = await spaRequest(t());
    for (const cookie of [
      `warden_session=${'x'.repeat(20_000)}`,
      'warden_session="unterminated',
      Array.from({ length: 500 }, (_, index) => `c${index}=v`).join('; '),
      'warden_session=a; warden_session=b; =; ;;; =x',
      'warden_csrf=zzz.99999999999999999999',
    ]) {
      const response = await t().request(request.url, { headers: { cookie } });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/\/u\/login\?interaction=/);
    }
  });

  it('keeps the state even when it is 10 KB, and answers a huge state without a 500', async () => {
    const long = 'S'.repeat(10 * 1024);
    const request = await spaRequest(t(), { prompt: 'none', state: long });
    const response = await new Browser(t()).get(request.url);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).searchParams.get('state')).toBe(long);
  });

  it('answers hostile values in a genuine login form with the form again, never a 500', async () => {
    // Control characters never reach the form: see parameter-text.test.ts.
    const values: [string, string][] = [
      ['%', '%'],
      ["' or 1=1 --", "' or '1'='1"],
      ['a'.repeat(5000), 'b'.repeat(50_000)],
      ['user@example.com', 'tab\tand\u0085next line'],
      ['\u202euser@example.com', '\ud83d\udc09'],
    ];
    for (const [login, pw] of values) {
      const browser = new Browser(t());
      const redirect = await browser.get((await spaRequest(t())).url);
      const page = await browser.get(redirect.headers.get('location')!);
      const fields = hiddenFields(await page.text());
      const response = await browser.post('/u/login', { ...fields, login, password: pw });
      expect([400, 401]).toContain(response.status);
      const html = await response.text();
      expect(html).not.toMatch(stackTrace);
      expect(html).toContain('name="password"');
    }
  });

  it('answers hostile values in a genuine sign-up form with the form again, never a 500', async () => {
    const values: Record<string, string>[] = [
      { email: 'nul\u0000@example.com', password: 'long enough password' },
      { email: '\u202emoc.elpmaxe@evil', password: 'long enough password' },
      { email: 'tab\t@example.com', password: 'long enough password' },
      { email: 'x@example.com', password: 'p'.repeat(300) },
      { email: 'x@example.com', password: '\u0000'.repeat(7) },
      { email: `${'a'.repeat(65)}@example.com`, password: 'long enough password' },
      { email: 'y@example.com', name: '<script>alert(1)</script>'.repeat(100), password: 'x' },
    ];
    for (const fieldsToSend of values) {
      const browser = new Browser(t());
      const redirect = await browser.get((await spaRequest(t())).url);
      const interaction = new URL(redirect.headers.get('location')!).searchParams.get('interaction')!;
      const page = await browser.get(`/u/signup?interaction=${interaction}`);
      const fields = hiddenFields(await page.text());
      const response = await browser.post('/u/signup', { ...fields, ...fieldsToSend });
      const html = await response.text();
      expect(response.status, html.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(html).not.toMatch(stackTrace);
      expect(html).not.toContain('<script>alert');
    }
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await t().request('/authorize', { method: 'HEAD' });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe('');
  });

  it('never echoes a revocation of garbage as anything but the empty 200 (RFC 7009)', async () => {
    for (const token of ['abc', 'e30.e30.e30', bigButUnderLimit.slice(0, 50_000)]) {
      const response = await t().request('/oauth/revoke', post(`client_id=${t().spa}&token=${token}`));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    }
  });

  it('answers introspection of garbage with active: false', async () => {
    for (const token of ['abc', 'e30.e30.e30', 'a.b.c.d.e', bigButUnderLimit.slice(0, 50_000)]) {
      const response = await t().request(
        '/oauth/introspect',
        post(`token=${token}`, {
          authorization: basicHeader(`${t().web.client_id}:${t().web.client_secret}`),
        }),
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ active: false });
    }
  });
});
