import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { ServerOptions } from '../src/config.js';
import { apiId, signInWithCode, startTestServer, type TestServer } from './harness.js';
import { clientCredentials, exchangeCode } from './token-helpers.js';

/** The test authorization server (see `startTestServer`) served over real HTTP. */
export interface HttpTestServer {
  t: TestServer;
  /** `http://localhost:<port>/`, the issuer the server runs as. */
  issuer: string;
  /** Moves the server's clock `seconds` away from its start (0: back to it). */
  shift(seconds: number): void;
  close(): Promise<void>;
}

/**
 * Starts the test authorization server (the Dragons API with RBAC and role `admin`, the Dragons SPA,
 * an M2M client, `user@example.com` and `admin@example.com`) on a free port of localhost: for
 * clients and APIs that fetch its discovery document and JWKS over the network. It runs on the real
 * clock (not the test epoch), because those peers (openid-client, oauth4webapi, express-jwt…) check
 * the tokens it signs against the real time and take no clock of ours. `clock` replaces the real
 * one for an API under test that does take the test's clock (the Dragons API's own test);
 * `overrides` are more server options (the upstream sign-in methods, say).
 * `close()` drops the open connections, then stops the server.
 */
export async function startHttpTestServer(
  options: { clock?: () => number; overrides?: Partial<ServerOptions> } = {},
): Promise<HttpTestServer> {
  const clock = options.clock ?? Date.now;
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const http: ServerType = serve({
    fetch: (request, env) => handler(request, env),
    port: 0,
    hostname: 'localhost',
  });
  await new Promise<void>((resolve) => http.once('listening', resolve));
  const issuer = `http://localhost:${(http.address() as AddressInfo).port}/`;
  let offset = 0;
  const t = await startTestServer({ ...options.overrides, issuer, clock: () => clock() + offset });
  handler = t.server.fetch;
  return {
    t,
    issuer,
    shift(seconds) {
      offset = seconds * 1000;
    },
    async close() {
      (http as Server).closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await t.close();
    },
  };
}

/** Signs `login` in through the SPA (code + PKCE) and returns its access token for the Dragons API. */
export async function userAccessToken(t: TestServer, login = 'user@example.com'): Promise<string> {
  return readAccessToken(await exchangeCode(t, await signInWithCode(t, { login })));
}

/** The M2M client's client_credentials access token for `audience` (the Dragons API by default). */
export async function machineAccessToken(t: TestServer, audience = apiId): Promise<string> {
  return readAccessToken(await clientCredentials(t, { audience }));
}

/** The access token of a token endpoint answer; throws with the answer when there is none. */
async function readAccessToken(response: Response): Promise<string> {
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
