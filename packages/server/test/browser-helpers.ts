import { randomToken } from '@warden/protocol';
import { expect } from 'vitest';
import { apiId, Browser, hiddenFields, htmlText, pkce, spaCallback, type TestServer } from './harness.js';

/**
 * A valid `/authorize` request for the SPA (code, PKCE S256, state, nonce, the Dragons API),
 * with `overrides` on top; an override of `undefined` removes the parameter.
 */
export async function spaRequest(
  t: TestServer,
  overrides: Record<string, string | undefined> = {},
): Promise<{ url: string; params: Record<string, string>; verifier: string; state: string }> {
  const { verifier, challenge } = await pkce();
  const state = randomToken(16);
  const merged: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: t.spa,
    redirect_uri: spaCallback,
    scope: 'openid profile email offline_access read:dragons',
    audience: apiId,
    state,
    nonce: randomToken(16),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(merged)) if (value !== undefined) params[name] = value;
  return {
    url: `/authorize?${new URLSearchParams(params).toString()}`,
    params,
    verifier,
    state: params.state ?? state,
  };
}

/** The parameters a redirect to the client carries, from its query or its fragment. */
export function redirectParams(response: Response): {
  url: URL;
  query: URLSearchParams;
  fragment: URLSearchParams;
} {
  const location = response.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${response.status}`);
  const url = new URL(location);
  return { url, query: url.searchParams, fragment: new URLSearchParams(url.hash.slice(1)) };
}

/** The URL of a redirect without its query and fragment (where the browser is sent). */
export function redirectTarget(response: Response): string {
  const { url } = redirectParams(response);
  return `${url.origin}${url.pathname}`;
}

/**
 * Asserts an authorization error sent back to the client (RFC 6749 §4.1.2.1): a 303 to the
 * registered redirect URI with `error`, `state` and `iss` (RFC 9207), in the query by default.
 */
export function expectRedirectError(
  response: Response,
  expected: {
    error: string;
    state?: string;
    issuer: string;
    redirectUri?: string;
    mode?: 'query' | 'fragment';
  },
): URLSearchParams {
  expect(response.status).toBe(303);
  expect(redirectTarget(response)).toBe(expected.redirectUri ?? spaCallback);
  const { query, fragment } = redirectParams(response);
  const params = expected.mode === 'fragment' ? fragment : query;
  expect(params.get('error')).toBe(expected.error);
  expect(params.get('error_description')).toBeTruthy();
  expect(params.get('iss')).toBe(expected.issuer);
  if (expected.state !== undefined) expect(params.get('state')).toBe(expected.state);
  expect(params.get('code')).toBeNull();
  return params;
}

/**
 * Asserts a hosted error page: HTML with the given status, not a redirect, not cacheable, showing
 * `text` (when given) and never a stack trace.
 */
export async function expectErrorPage(
  response: Response,
  status: number,
  text?: string | RegExp,
): Promise<string> {
  const html = await response.text();
  expect(response.status).toBe(status);
  expect(response.headers.get('location')).toBeNull();
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(html).toContain('<!doctype html>');
  expect(html).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+/);
  if (text !== undefined)
    expect(htmlText(html)).toMatch(typeof text === 'string' ? new RegExp(escapeRegExp(text)) : text);
  return html;
}

/** The raw `Set-Cookie` header a response sets for `name`, if any. */
export function setCookieFor(response: Response, name: string): string | undefined {
  return response.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
}

/** Follows `/authorize` once and, when it leads to the login page, signs in there. */
export async function authorizeAndSignIn(
  browser: Browser,
  t: TestServer,
  url: string,
  login = 'user@example.com',
): Promise<Response> {
  const response = await browser.get(url);
  const location = response.headers.get('location') ?? '';
  if (!location.startsWith(`${t.issuer}u/login`)) return response;
  return browser.signIn(location, login);
}

/** True when the response sends the browser to the hosted login page. */
export function isLoginRedirect(t: TestServer, response: Response): boolean {
  return (
    response.status === 303 && (response.headers.get('location') ?? '').startsWith(`${t.issuer}u/login?`)
  );
}

/**
 * Opens the login page for a new SPA request (`overrides` as for `spaRequest`) in `browser`, or a
 * new one; asserts that `/authorize` sends it there. Returns the page, its HTML and hidden fields.
 */
export async function openLogin(
  t: TestServer,
  browser = new Browser(t),
  overrides: Record<string, string> = {},
) {
  const request = await spaRequest(t, overrides);
  const redirect = await browser.get(request.url);
  expect(isLoginRedirect(t, redirect)).toBe(true);
  const page = await browser.get(redirect.headers.get('location')!);
  const html = await page.text();
  return { page, html, fields: hiddenFields(html), browser, request };
}

/** The text of the page's alert region (a hosted page's error or notice), if it has one. */
export function alertText(html: string): string | undefined {
  const match = /role="alert"[^>]*>[\s\S]*?<p>([\s\S]*?)<\/p>/.exec(html);
  return match ? htmlText(match[1]!) : undefined;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
