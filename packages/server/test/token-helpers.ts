import { createHash } from 'node:crypto';
import { importKeySet, randomToken, verifyJwt } from '@warden/protocol';
import { expect } from 'vitest';
import {
  apiId,
  authorizeUrl,
  Browser,
  basic,
  issuer,
  pkce,
  signInWithCode,
  spaCallback,
  type TestServer,
  tokenRequest,
} from './harness.js';

/** The confidential web client's registered callback (see `startTestServer`). */
export const webCallback = 'http://localhost:5000/callback';

/** The fields of a token endpoint answer, success or error. */
export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
  error?: string;
  error_description?: string;
}

/** An SPA's authorization code and the PKCE verifier of its request (what `signInWithCode` returns). */
export interface SpaCode {
  code: string;
  verifier: string;
}

/**
 * POSTs the SPA's exchange of `flow.code` to the token endpoint as a public client (client_id,
 * redirect URI, PKCE verifier). `overrides` replaces fields; an override of `undefined` drops the
 * field. Asserts nothing and leaves the body unread.
 */
export function exchangeCode(
  t: TestServer,
  flow: SpaCode,
  overrides: Record<string, string | undefined> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  const fields: Record<string, string | undefined> = {
    grant_type: 'authorization_code',
    client_id: t.spa,
    code: flow.code,
    redirect_uri: spaCallback,
    code_verifier: flow.verifier,
    ...overrides,
  };
  return tokenRequest(t, definedFields(fields), headers);
}

/** Signs in through the SPA and exchanges the code: the token response body and what was sent. */
export async function spaTokens(
  t: TestServer,
  options: Parameters<typeof signInWithCode>[1] = {},
): Promise<{ body: TokenBody; nonce: string; browser: Browser }> {
  const { code, verifier, nonce, browser } = await signInWithCode(t, options);
  const response = await exchangeCode(t, { code, verifier });
  expect(response.status).toBe(200);
  return { body: (await response.json()) as TokenBody, nonce, browser };
}

/**
 * Runs `/authorize` for the confidential web client (with or without PKCE) through the hosted
 * login and returns the code.
 */
export async function signInWeb(
  t: TestServer,
  options: { withPkce?: boolean; scope?: string; browser?: Browser } = {},
): Promise<{ code: string; verifier: string | undefined; browser: Browser }> {
  const browser = options.browser ?? new Browser(t);
  const params: Record<string, string> = {
    client_id: t.web.client_id,
    redirect_uri: webCallback,
    scope: options.scope ?? 'openid profile email offline_access read:dragons',
    audience: apiId,
    state: randomToken(16),
  };
  let verifier: string | undefined;
  if (options.withPkce ?? true) {
    const pair = await pkce();
    verifier = pair.verifier;
    params.code_challenge = pair.challenge;
    params.code_challenge_method = 'S256';
  }
  let response = await browser.get(authorizeUrl(params));
  let location = response.headers.get('location') ?? '';
  if (location.startsWith(`${issuer}u/login`)) {
    response = await browser.signIn(location, 'user@example.com');
    location = response.headers.get('location') ?? '';
  }
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code: ${response.status} ${location}`);
  return { code, verifier, browser };
}

/** The web client's Basic credentials. */
export function webBasic(t: TestServer): string {
  return basic(t.web.client_id, t.web.client_secret);
}

/**
 * POSTs the confidential web client's exchange of `flow.code` (from `signInWeb`) to the token
 * endpoint: redirect URI and, when the request had one, the PKCE verifier. `overrides` replaces
 * fields (`undefined` drops one); `headers` replaces the default, the web client's Basic
 * credentials (pass `{}` to send none). Asserts nothing and leaves the body unread.
 */
export function exchangeWebCode(
  t: TestServer,
  flow: { code: string; verifier?: string | undefined },
  overrides: Record<string, string | undefined> = {},
  headers: Record<string, string> = { authorization: webBasic(t) },
): Promise<Response> {
  const fields = {
    grant_type: 'authorization_code',
    code: flow.code,
    redirect_uri: webCallback,
    code_verifier: flow.verifier,
    ...overrides,
  };
  return tokenRequest(t, definedFields(fields), headers);
}

/** Refreshes as the SPA (a public client). */
export function refreshAsSpa(t: TestServer, refreshToken: string, extra: Record<string, string> = {}) {
  return tokenRequest(t, {
    grant_type: 'refresh_token',
    client_id: t.spa,
    refresh_token: refreshToken,
    ...extra,
  });
}

/** Refreshes as the confidential web client, with its Basic credentials. */
export function refreshAsWeb(t: TestServer, refreshToken: string) {
  return tokenRequest(
    t,
    { grant_type: 'refresh_token', refresh_token: refreshToken },
    { authorization: webBasic(t) },
  );
}

/**
 * A client_credentials request with Basic credentials: the M2M client's unless `client` is given,
 * with `fields` added (`audience`, `scope`…). Asserts nothing.
 */
export function clientCredentials(
  t: TestServer,
  fields: Record<string, string> = {},
  client: { client_id: string; client_secret: string } = t.m2m,
) {
  return tokenRequest(
    t,
    { grant_type: 'client_credentials', ...fields },
    { authorization: basic(client.client_id, client.client_secret) },
  );
}

/** Asserts an OAuth error answer from the token endpoint, `no-store` included. */
export async function expectOAuthError(response: Response, error: string, status = 400): Promise<void> {
  const body = (await response.json()) as TokenBody;
  expect({ status: response.status, error: body.error }).toEqual({ status, error });
  expect(body.error_description).toBeTypeOf('string');
  expect(response.headers.get('cache-control')).toBe('no-store');
}

/** `GET /userinfo` with a bearer token. */
export function userinfo(t: TestServer, token: string, headers: Record<string, string> = {}) {
  return t.request('/userinfo', { headers: { authorization: `Bearer ${token}`, ...headers } });
}

/** POSTs a form to any endpoint. */
export function postForm(
  t: TestServer,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return t.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Verifies a JWT against the JWKS the server publishes right now. */
export async function verifyWithJwks(t: TestServer, token: string, options: { typ?: string } = {}) {
  const jwks = (await (await t.request('/.well-known/jwks.json')).json()) as {
    keys: Record<string, unknown>[];
  };
  const keys = await importKeySet(jwks);
  const currentTime = Math.floor(t.server.context.config.clock() / 1000);
  return verifyJwt(token, keys, { issuer, currentTime, ...options });
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256). */
export function expectedAtHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest().subarray(0, 16).toString('base64url');
}

/** The kid values of the published JWKS. */
export async function publishedKids(t: TestServer): Promise<string[]> {
  const jwks = (await (await t.request('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
  return jwks.keys.map((key) => key.kid);
}

/** The fields whose value is defined (an override of `undefined` removes a field). */
function definedFields(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
