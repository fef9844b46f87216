import type { APIRequestContext, APIResponse, Page } from '@playwright/test';
import { type System, sessionCookieName } from './system.js';

/** Calls the Dragons API (`path` relative to /api/) with `token` as a bearer token, from outside the browser. */
export function callApi(
  request: APIRequestContext,
  system: System,
  path: string,
  token: string,
): Promise<APIResponse> {
  return request.get(new URL(path, system.apiUrl).href, { headers: { authorization: `Bearer ${token}` } });
}

/**
 * Calls the app origin's `path` (`api/dragons`, `bff/user`, …) with the session cookie `cookie`
 * (cookie mode), from outside the browser: no Origin, no Fetch-Metadata, only the cookie.
 */
export function callWithCookie(
  request: APIRequestContext,
  system: System,
  path: string,
  cookie: string,
  options: { method?: 'GET' | 'POST'; data?: unknown } = {},
): Promise<APIResponse> {
  return request.fetch(new URL(path, system.spaUrl).href, {
    method: options.method ?? 'GET',
    headers: { cookie: `${sessionCookieName}=${cookie}` },
    ...(options.data !== undefined && { data: options.data }),
    maxRedirects: 0,
  });
}

/** The status of a same-origin `fetch(path)` made by the page itself (its cookies, its Origin). */
export function fetchStatusInPage(page: Page, path: string): Promise<number> {
  return page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).status, path);
}

/** What the app's server says about the page's session (`GET /bff/user`, cookie mode). */
export interface BffUser {
  isAuthenticated: boolean;
  user?: { name?: string; email?: string };
  access?: { scope: string; roles?: string[]; expiresAt: number };
}

/** `GET /bff/user` from the page (cookie mode). */
export function bffUserInPage(page: Page): Promise<BffUser> {
  return page.evaluate(async () => (await fetch('/bff/user', { credentials: 'same-origin' })).json());
}
