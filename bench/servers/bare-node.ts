/**
 * Not a peer but a ceiling: the least any Node server must do per client_credentials request.
 * Plain `node:http`; reads the form body and the Basic credentials, compares the secret, signs
 * the same claims Warden puts in an access token with `node:crypto` (a KeyObject made once), and
 * answers the same JSON. No routing framework, no storage, no logging. What it serves per second
 * on one core bounds what Warden or oidc-provider can reach on this machine. Also serves a
 * discovery document and JWKS, so the token can be checked like the others. Listens on
 * 127.0.0.1:$PORT and prints one ready line like the other bench servers.
 *
 * Environment: PORT (required), BENCH_ALG (RS256 | ES256, default RS256).
 */
import { generateKeyPairSync, randomBytes, sign, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exitOnSignal, printReadyLine } from '../lib/server-process.js';

const API = 'https://api.bench.example/';
const SCOPE = 'read:things';
const CLIENT_ID = 'bench-m2m';

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new TypeError('PORT is required');
  const alg = process.env.BENCH_ALG ?? 'RS256';
  if (alg !== 'RS256' && alg !== 'ES256') throw new TypeError('BENCH_ALG must be RS256 or ES256');
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const } : privateKey;
  const kid = randomBytes(8).toString('hex');
  const issuer = `http://127.0.0.1:${port}/`;
  const clientSecret = randomBytes(32).toString('base64url');
  const expected = Buffer.from(`${CLIENT_ID}:${clientSecret}`);
  const header = Buffer.from(JSON.stringify({ alg, kid, typ: 'at+jwt' })).toString('base64url');
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }] };

  const server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
      return answer(res, 200, { issuer, jwks_uri: `${issuer}jwks` });
    }
    if (req.method === 'GET' && req.url === '/jwks') return answer(res, 200, jwks);
    if (req.method !== 'POST' || req.url !== '/oauth/token') return answer(res, 404, { error: 'not_found' });
    const params = new URLSearchParams(await readBody(req));
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const presented = Buffer.from(basic ?? '', 'base64');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return answer(res, 401, { error: 'invalid_client' });
    }
    if (params.get('grant_type') !== 'client_credentials' || params.get('resource') !== API) {
      return answer(res, 400, { error: 'invalid_request' });
    }
    const iat = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: CLIENT_ID,
      aud: API,
      iat,
      exp: iat + 600,
      jti: randomBytes(16).toString('base64url'),
      client_id: CLIENT_ID,
      scope: SCOPE,
    };
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const signature = sign('sha256', Buffer.from(input), signingKey).toString('base64url');
    return answer(res, 200, {
      access_token: `${input}.${signature}`,
      token_type: 'Bearer',
      expires_in: 600,
      scope: SCOPE,
    });
  });
  server.listen(port, '127.0.0.1', () => {
    printReadyLine({
      server: 'bare-node',
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
