/**
 * The peer: panva's oidc-provider configured like the Warden bench idp for the client credentials
 * grant. One confidential client (client_secret_basic), the resource indicators feature with one
 * resource server whose access tokens are JWTs (RFC 9068, 10 minutes) signed with BENCH_ALG, keys
 * generated at start (RSA 2048 for RS256, P-256 for ES256; an RS256 key is always present, as in
 * Warden). Default in-memory adapter, no interactions. Listens on 127.0.0.1:$PORT and prints one
 * ready line: `{"ready":true,"client_id":…,"client_secret":…,"api":…,"scope":…}`.
 *
 * Environment: PORT (required), BENCH_ALG (RS256 | ES256, default RS256).
 */
import { generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors, type JWK } from 'oidc-provider';
import { exitOnSignal, printReadyLine } from '../lib/server-process.js';

const API = 'https://api.bench.example/';
const SCOPE = 'read:things';
const CLIENT_ID = 'bench-m2m';

type Alg = 'RS256' | 'ES256';

function readAlg(value: string | undefined): Alg {
  const alg = value ?? 'RS256';
  if (alg !== 'RS256' && alg !== 'ES256') throw new TypeError('BENCH_ALG must be RS256 or ES256');
  return alg;
}

/** A private signing JWK with `alg`, `use` and `kid`. */
function generateJwk(alg: Alg): JWK {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk: JsonWebKey = pair.privateKey.export({ format: 'jwk' });
  return { ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}` } as JWK;
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new TypeError('PORT is required');
  const alg = readAlg(process.env.BENCH_ALG);
  const clientSecret = randomBytes(32).toString('base64url');
  const keys = alg === 'RS256' ? [generateJwk('RS256')] : [generateJwk('RS256'), generateJwk('ES256')];
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: SCOPE,
      },
    ],
    jwks: { keys },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [SCOPE],
    routes: { token: '/oauth/token' },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API) throw new errors.InvalidTarget();
          return {
            scope: SCOPE,
            audience: API,
            accessTokenTTL: 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg } },
          };
        },
      },
    },
  });
  const server = createServer(provider.callback());
  server.listen(port, '127.0.0.1', () => {
    printReadyLine({
      server: 'oidc-provider',
      alg,
      client_id: CLIENT_ID,
      client_secret: clientSecret,
      api: API,
      scope: SCOPE,
    });
  });
  exitOnSignal(server);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
