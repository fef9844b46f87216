import type { APIRequestContext, BrowserContext, Page } from '@playwright/test';
import { decodeJwt } from '@warden/protocol/core';
import { callApi, callWithCookie } from './api.js';
import { copySessionCookie, readAccessToken } from './app.js';
import type { System } from './system.js';

/** A credential taken from a signed-in browser, replayed from outside it. */
export interface CopiedCredential {
  /** `token`: the access token the profile page shows; `cookie`: the HttpOnly session cookie's value. */
  kind: 'token' | 'cookie';
  value: string;
  /** Calls the Dragons API's `path` (relative to /api/) with it, from outside the browser; the status. */
  callApi(path: string): Promise<number>;
  /** When the credential would expire by itself (epoch ms): the token's `exp`; undefined for the cookie. */
  expiresAt: number | undefined;
}

/**
 * Copies what a thief would want from the signed-in `page`: in token mode the access token (read
 * from the profile page, which the page then shows), in cookie mode the session cookie (the only
 * credential the browser holds; the API is then reached through the app's origin).
 */
export async function copyCredential(
  page: Page,
  context: BrowserContext,
  request: APIRequestContext,
  system: System,
): Promise<CopiedCredential> {
  if (system.mode === 'token') {
    const token = await readAccessToken(page);
    return {
      kind: 'token',
      value: token,
      callApi: async (path) => (await callApi(request, system, path, token)).status(),
      expiresAt: Number(decodeJwt(token).payload.exp) * 1000,
    };
  }
  const cookie = await copySessionCookie(context, system);
  return {
    kind: 'cookie',
    value: cookie,
    callApi: async (path) => (await callWithCookie(request, system, `api/${path}`, cookie)).status(),
    expiresAt: undefined,
  };
}
