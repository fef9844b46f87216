import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GeneratedKey, generateSigningKey, importKey, type SigningAlg } from '@warden/protocol';
import { createNodeSigner, type NodeSigner } from '@warden/protocol/node';
import { accessTokenClaims } from './access-tokens.js';
import { API_ALGS, API_AUDIENCE, type ApiAlg } from './api-variants.js';

/**
 * What the API servers under test need from an issuer, and nothing else: its JWKS and its
 * revocation feed, on 127.0.0.1, from the orchestrating process. Not an authorization server:
 * tokens are signed here directly.
 */
export interface BenchIssuer {
  /** `http://127.0.0.1:<port>/`: the `iss` of every token and the origin of the JWKS. */
  issuer: string;
  /** `${issuer}.well-known/jwks.json`: one RS256 and one ES256 public key. */
  jwksUri: string;
  /** `${issuer}oauth/revocations`: server-sent events as Warden's idp sends them. */
  feedUrl: string;
  audience: string;
  keys: Record<ApiAlg, GeneratedKey<SigningAlg>>;
  /** A `jti` the feed lists as revoked. */
  revokedJti: string;
  /** Signs one access token for the API now, with `claims` replacing or adding claims. */
  sign(alg: ApiAlg, claims?: Record<string, unknown>, index?: number): string;
  /** How many times the JWKS and the feed were requested. */
  counts(): { jwks: number; feed: number };
  close(): Promise<void>;
}

/** Revoked `jti` entries the feed sends (none of them is a benchmark token's). */
const REVOKED_ENTRIES = 1000;
/** As Warden's idp: a comment line every 15 s keeps followers current. */
const HEARTBEAT_MS = 15_000;

/**
 * Generates an RS256 and an ES256 signing key with protocol's `generateSigningKey` and serves, on
 * a free 127.0.0.1 port: `GET /.well-known/jwks.json` (both public keys, `Cache-Control:
 * max-age=600`) and `GET /oauth/revocations` (`text/event-stream`: 1,000 `jti` revocations resumed
 * after `Last-Event-ID`, `event: ready`, then a heartbeat every 15 s; nothing new is ever revoked).
 * Everything else is 404. It does NOT issue tokens over HTTP.
 */
export async function startBenchIssuer(): Promise<BenchIssuer> {
  const keys = {
    RS256: await generateSigningKey('RS256'),
    ES256: await generateSigningKey('ES256'),
  } satisfies Record<ApiAlg, GeneratedKey<SigningAlg>>;
  const signers = {} as Record<ApiAlg, NodeSigner>;
  for (const alg of API_ALGS) signers[alg] = createNodeSigner(await importKey(keys[alg].privateJwk));
  const jwks = JSON.stringify({ keys: API_ALGS.map((alg) => keys[alg].publicJwk) });
  const startedAt = Math.floor(Date.now() / 1000);
  const entries = Array.from({ length: REVOKED_ENTRIES }, (_, i) => ({
    seq: i + 1,
    kind: 'jti',
    value: `revoked-${i}`,
    notBefore: startedAt,
    expiresAt: startedAt + 24 * 3600,
  }));
  const streams = new Set<ServerResponse>();
  const counts = { jwks: 0, feed: 0 };

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') {
      counts.jwks += 1;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=600' });
      res.end(jwks);
      return;
    }
    if (req.method === 'GET' && req.url === '/oauth/revocations') {
      counts.feed += 1;
      const after = Number(req.headers['last-event-id'] ?? 0) || 0;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 1000\n\n');
      const backlog = entries.filter((entry) => entry.seq > after);
      res.write(
        backlog.map((e) => `id: ${e.seq}\nevent: revocation\ndata: ${JSON.stringify(e)}\n\n`).join(''),
      );
      res.write(`event: ready\ndata: ${JSON.stringify({ last_seq: entries.length })}\n\n`);
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
      streams.add(res);
      res.on('close', () => {
        clearInterval(heartbeat);
        streams.delete(res);
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    issuer,
    jwksUri: `${issuer}.well-known/jwks.json`,
    feedUrl: `${issuer}oauth/revocations`,
    audience: API_AUDIENCE,
    keys,
    revokedJti: 'revoked-0',
    sign(alg, claims = {}, index = 0) {
      const iat = Math.floor(Date.now() / 1000);
      const base = accessTokenClaims({ issuer, audience: API_AUDIENCE, index, iat });
      return signers[alg]({ ...base, ...claims }, { typ: 'at+jwt' });
    },
    counts: () => ({ ...counts }),
    async close() {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
