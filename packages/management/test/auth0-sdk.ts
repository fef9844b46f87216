import { ManagementClient } from 'auth0';
import type { HttpTestServer } from '../../server/test/http-test-server.js';
import type { ManagementApi } from '../src/index.js';

/** An M2M client of the management API, with its secret. */
export interface ManagementCredentials {
  client_id: string;
  client_secret: string;
}

/**
 * Auth0's own SDK (`auth0` on npm, its `ManagementClient`) pointed at Warden over HTTP, unchanged
 * but for two options every non-Auth0 domain needs: the `audience` (Auth0 derives
 * `https://<domain>/api/v2/`; Warden's is `<issuer>api/v2/`), and a `fetch` that keeps the SDK's
 * https URLs on the plain-http test listener (the SDK always builds `https://<domain>`). No
 * retries, so a 429 reaches the test. `onFetch` sees each request (method and path).
 */
export function auth0ManagementClient(
  http: HttpTestServer,
  management: ManagementApi,
  credentials: ManagementCredentials,
  onFetch?: (request: string) => void,
): ManagementClient {
  return new ManagementClient({
    domain: new URL(http.issuer).host,
    audience: management.audience,
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    maxRetries: 0,
    fetch: ((input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input).replace(/^https:/, 'http:');
      onFetch?.(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return fetch(url, init);
    }) as typeof fetch,
  });
}

/** Registers an M2M client granted the management API (all its scopes, or only `scopes`). */
export async function addManager(
  http: HttpTestServer,
  management: ManagementApi,
  name: string,
  scopes?: string[],
): Promise<ManagementCredentials> {
  return (await http.t.admin.addClient({
    type: 'm2m',
    name,
    apis: [management.audience],
    ...(scopes ? { scopes } : {}),
  })) as ManagementCredentials;
}
