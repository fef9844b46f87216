import { inspect } from 'node:util';
import type { Logger } from '../../src/config.js';
import { spaRequest } from '../browser-helpers.js';
import { apiId, Browser, password, spaCallback, type TestServer } from '../harness.js';
import { exchangeCode, type TokenBody } from '../token-helpers.js';
import type { AnswerContext } from './check-answer.js';
import type { AnswerKind, Method } from './endpoints.js';
import type { RawSigner } from './junk-jwt.js';

/**
 * What the fuzz properties of the authorization server run against: the test server (on SQLite
 * or PostgreSQL), what it logged as unexpected errors, and ways to get real artefacts (a signed-in
 * browser, a code, a refresh token, a signature by the server's own current key) to mutate.
 */
export interface FuzzWorld {
  t: TestServer;
  /** Signs with the server's current RS256 key, so generated tokens pass the signature check. */
  sign: RawSigner;
  /** The kid of that key. */
  kid: string;
  /** The registered redirect URIs and logout URLs. */
  redirectTargets: ReadonlySet<string>;
  /** The judge's context for an answer of `kind` to `method`. */
  context(kind: AnswerKind, method: Method): AnswerContext;
  /** Forgets what was logged so far (call before each request). */
  clearLog(): void;
}

/** A logger that keeps the unexpected errors the server logs (the cause behind a 500). */
export function createErrorLog(): { logger: Logger; entries: string[] } {
  const entries: string[] = [];
  const ignore = () => {};
  return {
    entries,
    logger: {
      debug: ignore,
      info: ignore,
      warn: ignore,
      error: (obj, msg) => {
        entries.push(`${msg ?? ''} ${inspect(obj, { depth: 4, breakLength: 120 })}`);
      },
    },
  };
}

/** Login throttling would answer every later sign-in of a long run with 429: the fuzz server lifts it. */
export const fuzzServerOverrides = { throttle: { perAccount: 1_000_000, perIp: 1_000_000 } };

export async function createFuzzWorld(t: TestServer, log: { entries: string[] }): Promise<FuzzWorld> {
  const key = await t.server.context.keys.signingKey('RS256');
  const clients = await t.server.context.registry.clients();
  const redirectTargets = new Set<string>();
  for (const client of clients) {
    for (const uri of [...client.redirectUris, ...client.postLogoutRedirectUris]) {
      const url = new URL(uri);
      redirectTargets.add(`${url.origin}${url.pathname}`);
    }
  }
  const issuerOrigin = new URL(t.issuer).origin;
  return {
    t,
    kid: key.kid!,
    redirectTargets,
    sign: async (input) =>
      new Uint8Array(
        await crypto.subtle.sign(
          { name: 'RSASSA-PKCS1-v1_5' },
          key.key as CryptoKey,
          new TextEncoder().encode(input),
        ),
      ),
    context: (kind, method) => ({
      kind,
      method,
      issuerOrigin,
      redirectTargets,
      logged: () => (log.entries.length > 0 ? `\nthe server logged:\n${log.entries.join('\n')}` : ''),
    }),
    clearLog: () => {
      log.entries.length = 0;
    },
  };
}

/** A browser signed in as the user (its SSO cookie lets `/authorize` issue codes without a password). */
export async function signedInBrowser(t: TestServer, login = 'user@example.com'): Promise<Browser> {
  const browser = new Browser(t);
  const redirect = await browser.get((await spaRequest(t)).url);
  const signedIn = await browser.signIn(redirect.headers.get('location')!, login, password);
  if (signedIn.status !== 303) throw new Error(`sign-in failed: ${signedIn.status}`);
  return browser;
}

/** A fresh authorization code for the SPA from a signed-in browser, and its PKCE verifier. */
export async function freshCode(
  t: TestServer,
  browser: Browser,
  scope = 'openid profile email offline_access read:dragons',
): Promise<{ code: string; verifier: string }> {
  const request = await spaRequest(t, { scope, audience: apiId });
  const response = await browserAtApp(t, browser, request.url);
  const location = new URL(response.headers.get('location') ?? '', t.issuer);
  const code = location.searchParams.get('code');
  if (!code || `${location.origin}${location.pathname}` !== spaCallback) {
    throw new Error(`no code: ${response.status} ${location}`);
  }
  return { code, verifier: request.verifier };
}

/**
 * Follows `/authorize` in a browser that should be signed in; signs it in again when it was
 * signed out meanwhile (a fuzzed logout may end every session of the user).
 */
export async function browserAtApp(t: TestServer, browser: Browser, url: string): Promise<Response> {
  const response = await browser.get(url);
  const location = response.headers.get('location') ?? '';
  if (!location.startsWith(`${t.issuer}u/login`)) return response;
  return browser.signIn(location, 'user@example.com', password);
}

/** The SPA's tokens (access, ID and refresh) from a fresh code. */
export async function freshTokens(t: TestServer, browser: Browser): Promise<TokenBody> {
  const response = await exchangeCode(t, await freshCode(t, browser));
  const body = (await response.json()) as TokenBody;
  if (!body.refresh_token) throw new Error(`no tokens: ${response.status} ${JSON.stringify(body)}`);
  return body;
}
