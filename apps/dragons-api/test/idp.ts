import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import {
  basic,
  signInWithCode,
  spaCallback,
  startTestServer,
  type TestServer,
  tokenRequest,
} from '../../../packages/server/test/harness.js';

export { apiId } from '../../../packages/server/test/harness.js';

/** The test authorization server (see the server's harness) served over real HTTP with the real clock. */
export interface HttpIdp {
  t: TestServer;
  issuer: string;
  close(): Promise<void>;
}

/**
 * Starts the authorization server on a free port of localhost, with the Dragons API (RBAC, role
 * `admin`), the Dragons SPA, an M2M client, `user@example.com` and `admin@example.com` (an admin).
 */
export async function startHttpIdp(): Promise<HttpIdp> {
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const http: ServerType = serve({
    fetch: (request, env) => handler(request, env),
    port: 0,
    hostname: 'localhost',
  });
  await new Promise<void>((resolve) => http.once('listening', resolve));
  const issuer = `http://localhost:${(http.address() as AddressInfo).port}/`;
  const t = await startTestServer({ issuer, clock: Date.now });
  handler = t.server.fetch;
  return {
    t,
    issuer,
    async close() {
      (http as Server).closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
      await t.close();
    },
  };
}

/** Signs `login` in through the SPA (code + PKCE) and returns the access token for the Dragons API. */
export async function userAccessToken(t: TestServer, login: string): Promise<string> {
  const { code, verifier } = await signInWithCode(t, { login });
  const response = await tokenRequest(t, {
    grant_type: 'authorization_code',
    client_id: t.spa,
    code,
    redirect_uri: spaCallback,
    code_verifier: verifier,
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** A client_credentials access token of the M2M client for the Dragons API. */
export async function machineAccessToken(t: TestServer, audience: string): Promise<string> {
  const response = await tokenRequest(
    t,
    { grant_type: 'client_credentials', audience },
    { authorization: basic(t.m2m.client_id, t.m2m.client_secret) },
  );
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
