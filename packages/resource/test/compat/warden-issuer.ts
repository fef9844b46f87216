import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import {
  apiId,
  basic,
  signInWithCode,
  spaCallback,
  startTestServer,
  type TestServer,
  tokenRequest,
} from '../../../server/test/harness.js';

export { apiId };

/**
 * Warden's authorization server (the server package's test set-up: the Dragons API with RBAC, the
 * Dragons SPA, an M2M client, a user and an admin) over real HTTP on localhost, with the real clock
 * shifted by `shift(seconds)` (to issue tokens that are already expired).
 */
export interface WardenIssuer {
  t: TestServer;
  issuer: string;
  shift(seconds: number): void;
  close(): Promise<void>;
}

export async function startWardenIssuer(): Promise<WardenIssuer> {
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
  const t = await startTestServer({ issuer, clock: () => Date.now() + offset });
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

/** The access token a user gets for the Dragons API through the SPA (code + PKCE). */
export async function userAccessToken(t: TestServer, login = 'user@example.com'): Promise<string> {
  const { code, verifier } = await signInWithCode(t, { login });
  const response = await tokenRequest(t, {
    grant_type: 'authorization_code',
    client_id: t.spa,
    code,
    redirect_uri: spaCallback,
    code_verifier: verifier,
  });
  return readAccessToken(response);
}

/** The M2M client's client_credentials access token for the Dragons API. */
export async function machineAccessToken(t: TestServer): Promise<string> {
  const response = await tokenRequest(
    t,
    { grant_type: 'client_credentials', audience: apiId },
    { authorization: basic(t.m2m.client_id, t.m2m.client_secret) },
  );
  return readAccessToken(response);
}

async function readAccessToken(response: Response): Promise<string> {
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
