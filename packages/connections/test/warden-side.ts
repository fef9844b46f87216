import { decodeJwt } from '@warden/protocol';
import { expect } from 'vitest';
import { isLoginRedirect, spaRequest } from '../../server/test/browser-helpers.js';
import {
  type Browser,
  htmlText,
  issuer,
  spaCallback,
  startTestServer,
  type TestServer,
} from '../../server/test/harness.js';
import { metaRefreshTarget } from '../../server/test/meta-refresh.js';
import { exchangeCode, userinfo } from '../../server/test/token-helpers.js';
import { createConnections } from '../src/index.js';
import { type ScriptedOp, startScriptedOp } from './scripted-op.js';

/** An SPA sign-in begun at Warden: where Warden sent the browser upstream, and the app's request. */
export interface UpstreamTrip {
  /** The upstream's authorization URL, with everything Warden asked for. */
  upstream: URL;
  /** The app's `/authorize` request (its `state`, PKCE verifier…). */
  request: Awaited<ReturnType<typeof spaRequest>>;
}

/**
 * The app sends the browser to `/authorize`; Warden shows its login page, which must offer
 * "Continue with `label`" linking to `/u/login/connection` for `connection`; the browser follows
 * it and Warden sends it upstream (303, with the transaction cookie).
 */
export async function clickConnection(
  t: TestServer,
  warden: Browser,
  connection: string,
  label: string,
  overrides: Record<string, string | undefined> = {},
): Promise<UpstreamTrip> {
  const request = await spaRequest(t, overrides);
  const toLogin = await warden.get(request.url);
  expect(isLoginRedirect(t, toLogin)).toBe(true);
  const page = await warden.get(toLogin.headers.get('location')!);
  const html = await page.text();
  const button = new RegExp(`<a[^>]*href="([^"]*)"[^>]*>(?:(?!</a>)[\\s\\S])*Continue with ${label}<`).exec(
    html,
  );
  expect(button, `a "Continue with ${label}" button`).not.toBeNull();
  const href = htmlText(button![1]!);
  expect(href).toMatch(new RegExp(`^/u/login/connection\\?interaction=[\\w-]+&connection=${connection}$`));
  return { upstream: await toUpstream(warden, href), request };
}

/** `/authorize?connection=NAME`: Warden sends the browser straight upstream, no login page between. */
export async function goStraightUpstream(
  t: TestServer,
  warden: Browser,
  connection: string,
  overrides: Record<string, string | undefined> = {},
): Promise<UpstreamTrip> {
  const request = await spaRequest(t, { connection, ...overrides });
  const first = await warden.get(request.url);
  expect(first.status).toBe(303);
  const start = new URL(first.headers.get('location')!);
  expect(start.pathname).toBe('/u/login/connection');
  return { upstream: await toUpstream(warden, `${start.pathname}${start.search}`), request };
}

async function toUpstream(warden: Browser, path: string): Promise<URL> {
  const response = await warden.get(path);
  if (response.status !== 303)
    throw new Error(`expected a redirect upstream: ${response.status} ${await response.text()}`);
  expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('warden_upstream='))).toBe(true);
  return new URL(response.headers.get('location')!);
}

/** What the app ends with: the ID token's claims, its access token, and `/userinfo`. */
export interface AppSignIn {
  claims: Record<string, unknown>;
  userinfo: Record<string, unknown>;
}

/**
 * Warden's answer to the callback must send the browser to the app's redirect URI with a code and
 * the app's `state`; the app exchanges the code and reads `/userinfo`.
 */
export async function expectAppSignedIn(
  t: TestServer,
  response: Response,
  trip: UpstreamTrip,
): Promise<AppSignIn> {
  // A redirect, or the page that moves on by itself when the browser came from the upstream's site.
  const next =
    response.status === 303
      ? response.headers.get('location')
      : metaRefreshTarget(await response.clone().text());
  if (!next) throw new Error(`expected the app's redirect: ${response.status} ${await response.text()}`);
  const target = new URL(next);
  expect(`${target.origin}${target.pathname}`).toBe(spaCallback);
  const query = target.searchParams;
  expect(query.get('state')).toBe(trip.request.state);
  const code = query.get('code');
  expect(code).toBeTruthy();
  const tokens = (await (await exchangeCode(t, { code: code!, verifier: trip.request.verifier })).json()) as {
    id_token: string;
    access_token: string;
  };
  const info = await userinfo(t, tokens.access_token);
  expect(info.status).toBe(200);
  return {
    claims: decodeJwt(tokens.id_token).payload as Record<string, unknown>,
    userinfo: (await info.json()) as Record<string, unknown>,
  };
}

/** Warden with the scripted OpenID Provider as the connection `scripted`, enabled for the SPA. */
export interface ScriptedWorld {
  op: ScriptedOp;
  t: TestServer;
  stop(): Promise<void>;
}

/**
 * Starts the scripted OpenID Provider and a Warden test server (on PostgreSQL with `databaseUrl`)
 * that signs in there; the method, the provider and Warden share the test clock.
 */
export async function startScriptedWorld(
  options: { timeout?: number; databaseUrl?: string } = {},
): Promise<ScriptedWorld> {
  let t: TestServer | undefined;
  const clock = () => t!.clock();
  const op = await startScriptedOp({ clock, redirectUri: `${issuer}login/callback` });
  t = await startTestServer(
    {
      upstream: [
        createConnections({
          clock,
          allowInsecureLocalhost: true,
          ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        }),
      ],
    },
    options.databaseUrl ? { databaseUrl: options.databaseUrl } : {},
  );
  await t.admin.addConnection({
    name: 'scripted',
    type: 'oidc',
    displayName: 'Scripted Provider',
    clientSecret: op.clientSecret,
    enabledClients: [t.spa],
    settings: { issuer: op.issuer, clientId: op.clientId },
  });
  const server = t;
  return {
    op,
    t: server,
    async stop() {
      await server.close();
      await op.stop();
    },
  };
}
