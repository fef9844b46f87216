import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  expectErrorPage,
  expectRedirectError,
  redirectParams,
  redirectTarget,
  spaRequest,
} from './browser-helpers.js';
import { Browser, hiddenFields, htmlText, issuer, spaCallback, useTestServer } from './harness.js';

const t = useTestServer({ scope: 'all' });

/** Sends the SPA's request with `overrides` from a browser without a session. */
async function authorize(overrides: Record<string, string | undefined>) {
  const request = await spaRequest(t(), overrides);
  return { response: await new Browser(t()).get(request.url), state: request.state };
}

describe('/authorize refuses a redirect_uri that is not registered exactly, on an error page', () => {
  // Registered: http://localhost:4200/callback
  const lookalikes: [string, string][] = [
    ['an extra path segment', 'http://localhost:4200/callback/extra'],
    ['a /../ traversal back onto the registered path', 'http://localhost:4200/evil/../callback'],
    ['a /../ traversal away from it', 'http://localhost:4200/callback/../evil'],
    ['another port', 'http://localhost:4201/callback'],
    ['the default port spelled out', 'http://localhost:80/callback'],
    ['userinfo making another host', 'http://localhost:4200@evil.example/callback'],
    ['userinfo in front of the right host', 'http://evil.example@localhost:4200/callback'],
    ['another case in the host', 'http://LOCALHOST:4200/callback'],
    ['another case in the path', 'http://localhost:4200/Callback'],
    ['another scheme', 'https://localhost:4200/callback'],
    ['a prefix of the registered one', 'http://localhost:4200/call'],
    ['the registered one as a prefix', 'http://localhost:4200/callbackx'],
    ['a trailing slash', 'http://localhost:4200/callback/'],
    ['a query added', 'http://localhost:4200/callback?next=https://evil.example'],
    ['an empty query added', 'http://localhost:4200/callback?'],
    ['a fragment added', 'http://localhost:4200/callback#x'],
    ['a percent-encoded path', 'http://localhost:4200/%63allback'],
    ['another host', 'https://evil.example/callback'],
  ];

  it.each(lookalikes)('%s (%s)', async (_name, redirectUri) => {
    const { response } = await authorize({ redirect_uri: redirectUri });
    const html = await expectErrorPage(response, 400, 'redirect_uri is not registered for this client');
    expect(html).not.toContain('evil.example');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('refuses an unknown client_id with an error page', async () => {
    const { response } = await authorize({ client_id: 'no-such-client' });
    await expectErrorPage(response, 400, 'unknown client_id');
  });

  it('refuses a missing client_id with an error page', async () => {
    const { response } = await authorize({ client_id: undefined });
    await expectErrorPage(response, 400, 'missing "client_id" parameter');
  });

  it('refuses a missing redirect_uri with an error page', async () => {
    const { response } = await authorize({ redirect_uri: undefined });
    await expectErrorPage(response, 400, 'missing "redirect_uri" parameter');
  });

  it("refuses another client's registered redirect_uri", async () => {
    const { response } = await authorize({ redirect_uri: 'https://fans.example/callback' });
    await expectErrorPage(response, 400, 'redirect_uri is not registered for this client');
  });

  it('refuses a machine-to-machine client, which has no browser flow', async () => {
    const { response } = await authorize({ client_id: t().m2m.client_id });
    await expectErrorPage(response, 400, /machine-to-machine/);
  });

  it('refuses a repeated client_id or redirect_uri with an error page (which one would be meant?)', async () => {
    const request = await spaRequest(t());
    const twiceClient = `${request.url}&client_id=${encodeURIComponent(t().web.client_id)}`;
    await expectErrorPage(await new Browser(t()).get(twiceClient), 400, 'must not be repeated');
    const twiceRedirect = `${request.url}&redirect_uri=${encodeURIComponent('https://evil.example/')}`;
    const html = await expectErrorPage(
      await new Browser(t()).get(twiceRedirect),
      400,
      'must not be repeated',
    );
    expect(html).not.toContain('evil.example');
  });
});

describe('/authorize sends other errors back to the registered redirect_uri, with state and iss', () => {
  it('requires PKCE from the public SPA', async () => {
    const { response, state } = await authorize({
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    const params = expectRedirectError(response, { error: 'invalid_request', state, issuer });
    expect(params.get('error_description')).toMatch(/PKCE is required/);
  });

  it('refuses code_challenge_method=plain', async () => {
    const { response, state } = await authorize({ code_challenge_method: 'plain' });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('refuses a code_challenge without a method (plain by default in RFC 7636)', async () => {
    const { response, state } = await authorize({ code_challenge_method: undefined });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('refuses a code_challenge_method without a challenge', async () => {
    const { response, state } = await authorize({ code_challenge: undefined });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('refuses a code_challenge that is not a SHA-256 in base64url', async () => {
    const { response, state } = await authorize({ code_challenge: 'too-short' });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('refuses an unknown scope with invalid_scope', async () => {
    const { response, state } = await authorize({ scope: 'openid write:dragons' });
    const params = expectRedirectError(response, { error: 'invalid_scope', state, issuer });
    expect(params.get('error_description')).toContain('write:dragons');
  });

  it("refuses an API's scope when another API (or none) is asked for", async () => {
    const { response, state } = await authorize({ audience: undefined, scope: 'openid read:dragons' });
    expectRedirectError(response, { error: 'invalid_scope', state, issuer });
  });

  it('refuses an unknown audience with invalid_target', async () => {
    const { response, state } = await authorize({ audience: 'https://unknown.example/api' });
    expectRedirectError(response, { error: 'invalid_target', state, issuer });
  });

  it('refuses an unknown resource (RFC 8707) with invalid_target', async () => {
    const { response, state } = await authorize({
      audience: undefined,
      resource: 'https://unknown.example/api',
    });
    expectRedirectError(response, { error: 'invalid_target', state, issuer });
  });

  it('refuses the legacy implicit response for a client that did not turn it on, in the fragment', async () => {
    const { response, state } = await authorize({
      response_type: 'token id_token',
      code_challenge: undefined,
      code_challenge_method: undefined,
    });
    const params = expectRedirectError(response, {
      error: 'unauthorized_client',
      state,
      issuer,
      mode: 'fragment',
    });
    expect(params.get('access_token')).toBeNull();
    expect(params.get('id_token')).toBeNull();
    expect(redirectParams(response).query.toString()).toBe('');
  });

  it('never puts implicit tokens or their errors in the query, even for a legacy client', async () => {
    await t().admin.addClient({
      type: 'spa',
      name: 'Legacy',
      callbacks: [spaCallback],
      legacyImplicit: true,
      clientId: 'legacy-implicit',
    });
    const implicit = { client_id: 'legacy-implicit', response_type: 'id_token token' };
    const noPkce = { code_challenge: undefined, code_challenge_method: undefined };
    const query = await authorize({ ...implicit, ...noPkce, response_mode: 'query' });
    expectRedirectError(query.response, {
      error: 'invalid_request',
      state: query.state,
      issuer,
      mode: 'fragment',
    });
    const none = await authorize({ ...implicit, ...noPkce, prompt: 'none' });
    expectRedirectError(none.response, {
      error: 'login_required',
      state: none.state,
      issuer,
      mode: 'fragment',
    });
    const noNonce = await authorize({ ...implicit, ...noPkce, nonce: undefined });
    expectRedirectError(noNonce.response, {
      error: 'invalid_request',
      state: noNonce.state,
      issuer,
      mode: 'fragment',
    });
  });

  it('refuses an unsupported response_type', async () => {
    const { response, state } = await authorize({ response_type: 'magic' });
    expectRedirectError(response, { error: 'unsupported_response_type', state, issuer });
  });

  it('refuses a missing response_type', async () => {
    const { response, state } = await authorize({ response_type: undefined });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('refuses a repeated parameter with invalid_request', async () => {
    const request = await spaRequest(t());
    const response = await new Browser(t()).get(`${request.url}&scope=openid`);
    const params = expectRedirectError(response, { error: 'invalid_request', state: request.state, issuer });
    expect(params.get('error_description')).toContain('"scope"');
  });

  it('refuses an unknown prompt value', async () => {
    const { response, state } = await authorize({ prompt: 'please' });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('refuses a negative or non-numeric max_age', async () => {
    for (const maxAge of ['-1', 'soon', '1e3']) {
      const { response, state } = await authorize({ max_age: maxAge });
      expectRedirectError(response, { error: 'invalid_request', state, issuer });
    }
  });

  it('refuses request objects it does not support with request_not_supported', async () => {
    const { response, state } = await authorize({ request: 'eyJhbGciOiJub25lIn0.e30.' });
    expectRedirectError(response, { error: 'request_not_supported', state, issuer });
  });

  it('answers prompt=none without a session with login_required, not the login page', async () => {
    const { response, state } = await authorize({ prompt: 'none' });
    expectRedirectError(response, { error: 'login_required', state, issuer });
  });

  it('returns state exactly as sent, special characters included', async () => {
    const odd = 'a b&c=d/é?#+';
    const { response } = await authorize({ prompt: 'none', state: odd });
    expectRedirectError(response, { error: 'login_required', state: odd, issuer });
  });

  it('sends no state when the client sent none, but still iss', async () => {
    const { response } = await authorize({ prompt: 'none', state: undefined });
    const params = expectRedirectError(response, { error: 'login_required', issuer });
    expect(params.has('state')).toBe(false);
  });

  it('keeps a query the registered redirect_uri already has', async () => {
    const withQuery = 'http://localhost:4200/callback?tenant=blue';
    await t().admin.addClient({
      type: 'spa',
      name: 'Query Client',
      callbacks: [withQuery],
      clientId: 'query-client',
    });
    const { response, state } = await authorize({
      client_id: 'query-client',
      redirect_uri: withQuery,
      prompt: 'none',
    });
    const params = expectRedirectError(response, { error: 'login_required', state, issuer });
    expect(params.get('tenant')).toBe('blue');
  });
});

describe('/authorize response modes', () => {
  it('form_post answers with an HTML form to the redirect_uri, a hashed script and form-action of its origin', async () => {
    const { response, state } = await authorize({ prompt: 'none', response_mode: 'form_post' });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain(`<form method="post" action="${spaCallback}">`);
    expect(hiddenFields(html)).toMatchObject({ error: 'login_required', state, iss: issuer });

    const csp = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      csp.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(directives.get('form-action')).toBe('http://localhost:4200');
    expect(directives.get('default-src')).toBe("'none'");
    expect(directives.get('frame-ancestors')).toBe("'none'");
    const scripts = [...html.matchAll(/<script>([^<]*)<\/script>/g)].map((match) => match[1]!);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0]!, 'utf8').digest('base64');
    expect(directives.get('script-src')).toBe(`'sha256-${hash}'`);
  });

  it('form_post carries the code after sign-in', async () => {
    const request = await spaRequest(t(), { response_mode: 'form_post' });
    const browser = new Browser(t());
    const login = (await browser.get(request.url)).headers.get('location')!;
    const response = await browser.signIn(login, 'user@example.com');
    expect(response.status).toBe(200);
    const fields = hiddenFields(await response.text());
    expect(fields.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fields).toMatchObject({ state: request.state, iss: issuer });
  });

  it('fragment puts the error in the fragment and nothing in the query', async () => {
    const { response, state } = await authorize({ prompt: 'none', response_mode: 'fragment' });
    expectRedirectError(response, { error: 'login_required', state, issuer, mode: 'fragment' });
    expect(redirectParams(response).query.toString()).toBe('');
  });

  it('fragment puts the code, state and iss in the fragment after sign-in', async () => {
    const request = await spaRequest(t(), { response_mode: 'fragment' });
    const browser = new Browser(t());
    const login = (await browser.get(request.url)).headers.get('location')!;
    const response = await browser.signIn(login, 'user@example.com');
    expect(response.status).toBe(303);
    expect(redirectTarget(response)).toBe(spaCallback);
    const { query, fragment } = redirectParams(response);
    expect(query.toString()).toBe('');
    expect(fragment.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fragment.get('state')).toBe(request.state);
    expect(fragment.get('iss')).toBe(issuer);
  });

  it('query (the default for code) carries code, state and iss, and no referrer leaks', async () => {
    const request = await spaRequest(t());
    const browser = new Browser(t());
    const login = (await browser.get(request.url)).headers.get('location')!;
    const response = await browser.signIn(login, 'user@example.com');
    expect(response.status).toBe(303);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const { query } = redirectParams(response);
    expect(query.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('state')).toBe(request.state);
    expect(query.get('iss')).toBe(issuer);
  });

  it('refuses an unknown response_mode', async () => {
    const { response, state } = await authorize({ response_mode: 'web_message' });
    expectRedirectError(response, { error: 'invalid_request', state, issuer });
  });

  it('a POST to /authorize (form-encoded) is read like the query', async () => {
    const request = await spaRequest(t(), { prompt: 'none' });
    const response = await t().request('/authorize', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(request.params).toString(),
    });
    expectRedirectError(response, { error: 'login_required', state: request.state, issuer });
  });

  it('the error page shows no markup from the request', async () => {
    const markup = '<script>alert(1)</script>';
    const request = await spaRequest(t(), { redirect_uri: `http://localhost:4200/${markup}` });
    const html = await expectErrorPage(await new Browser(t()).get(request.url), 400);
    const unknown = await new Browser(t()).get(`/authorize?client_id=${encodeURIComponent(markup)}`);
    const unknownHtml = await expectErrorPage(unknown, 400);
    for (const page of [html, unknownHtml]) {
      expect(page).not.toContain('<script>');
      expect(htmlText(page)).not.toContain(markup);
    }
  });
});
