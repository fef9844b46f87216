import { generateKeyPairSync, type JsonWebKey, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isOAuthError } from '@warden/protocol';
import Provider, { errors, type JWK } from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';

/**
 * panva's oidc-provider (certified OpenID Provider, a code base nobody here wrote) as the issuer:
 * RFC 9068 JWT access tokens through its resource indicators feature, one resource server per
 * signing algorithm. Warden's verifier, given only the issuer, the audience and the JWKS URI from
 * discovery, must accept them.
 *
 * Real time here, not the test epoch: oidc-provider stamps `iat` and `exp` from the real clock and
 * takes no clock of ours, so the verifiers keep their default clock (the real one) to agree with it.
 */
const algs = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
type Alg = (typeof algs)[number];
const scope = 'read:dragons';
const clientId = 'dragon-feeder';
const clientSecret = randomBytes(32).toString('base64url');
const resourceOf = (alg: Alg) => `https://${alg.toLowerCase()}.dragons.example/api/`;

function signingJwk(alg: Alg): JWK {
  const pair =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : alg === 'EdDSA'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk: JsonWebKey = pair.privateKey.export({ format: 'jwk' });
  return { ...jwk, alg, use: 'sig', kid: `${alg.toLowerCase()}-${randomBytes(4).toString('hex')}` } as JWK;
}

function decodeHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
}

describe("Warden's verifier with oidc-provider as the issuer", () => {
  let server: Server;
  let issuer: string;
  let jwksUri: string;

  beforeAll(async () => {
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
      res.writeHead(503).end();
    };
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          grant_types: ['client_credentials'],
          response_types: [],
          redirect_uris: [],
          token_endpoint_auth_method: 'client_secret_basic',
          scope,
        },
      ],
      jwks: { keys: algs.map(signingJwk) },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      scopes: [scope],
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          useGrantedResource: () => true,
          getResourceServerInfo: (_ctx, resource) => {
            const alg = algs.find((candidate) => resourceOf(candidate) === resource);
            if (!alg) throw new errors.InvalidTarget();
            return {
              scope,
              audience: resource,
              accessTokenTTL: 600,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg } },
            };
          },
        },
      },
    });
    handler = provider.callback();
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
      jwks_uri: string;
    };
    jwksUri = discovery.jwks_uri;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function accessToken(alg: Alg): Promise<string> {
    const response = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: resourceOf(alg), scope }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no access token: ${response.status} ${JSON.stringify(body)}`);
    return body.access_token;
  }

  async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return isOAuthError(error) ? `${error.error}: ${error.description}` : String(error);
  }

  it.each(algs)('accepts its %s JWT access tokens, read from an Authorization header', async (alg) => {
    const token = await accessToken(alg);
    expect(decodeHeader(token)).toMatchObject({ alg, typ: 'at+jwt' });
    const verifier = createVerifier({ issuer, audience: resourceOf(alg), jwksUri });
    const principal = await verifier.verify({ method: 'GET', headers: { authorization: `Bearer ${token}` } });
    expect(principal).toMatchObject({
      sub: clientId,
      clientId,
      scopes: [scope],
      roles: [],
      via: 'bearer',
    });
    expect(principal.claims).toMatchObject({ iss: issuer, aud: resourceOf(alg) });
    await verifier.close();
  });

  it('refuses them for another audience, another issuer, a disallowed algorithm, or once expired', async () => {
    const token = await accessToken('RS256');
    const audience = resourceOf('RS256');
    const wrongAudience = createVerifier({ issuer, audience: resourceOf('ES256'), jwksUri });
    expect(await refusal(wrongAudience.verifyToken(token))).toMatch(/^invalid_token: .*aud/);
    const wrongIssuer = createVerifier({ issuer: `${issuer}/other`, audience, jwksUri });
    expect(await refusal(wrongIssuer.verifyToken(token))).toMatch(/^invalid_token: .*iss/);
    const esOnly = createVerifier({ issuer, audience, jwksUri, algorithms: ['ES256'] });
    expect(await refusal(esOnly.verifyToken(token))).toMatch(/^invalid_token: .*(alg|algorithm)/);
    // 11 minutes after the real time oidc-provider signed at: past the token's 10-minute life.
    const later = createVerifier({ issuer, audience, jwksUri, clock: () => Date.now() + 11 * 60_000 });
    expect(await refusal(later.verifyToken(token))).toMatch(/^invalid_token: .*(exp|expired)/);
    const now = createVerifier({ issuer, audience, jwksUri });
    expect((await now.verifyToken(token)).sub).toBe(clientId);
  });
});
