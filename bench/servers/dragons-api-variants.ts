/**
 * `GET /api/dragons` (the Dragons API's six dragons, as JSON) in one of six variants, chosen by
 * `BENCH_VARIANT`:
 *
 * - `express-bare`, `fastify-bare`: no token check, the ceiling of each framework;
 * - `express-floor`, `fastify-floor`: only the token's signature, checked with `crypto.verify` and
 *   a `KeyObject` made once (the signing input and the signature split off the header value, no
 *   JSON, no claims): the least any verifier must do per new token, so the ceiling of any
 *   verifier on a cold token;
 * - `express-jwt`: the article's `jwtCheck`, express-jwt + jwks-rsa (`cache: true`,
 *   `rateLimit: true`, `jwksRequestsPerMinute: 5`), plus an error handler answering 401;
 * - `express-warden`: `createJwtCheck` from `@warden/resource/express`;
 * - `fastify-warden`: `wardenPlugin` from `@warden/resource/fastify`, `preHandler: authenticate()`;
 * - `fastify-jwt`: `@fastify/jwt` with the issuer's public key (PEM, read once from the JWKS at
 *   start), `preHandler: request.jwtVerify()`.
 *
 * Every checking variant pins the algorithm to `BENCH_ALG` and checks `iss`, `aud` and `exp`
 * against the same issuer; Warden also checks `typ: at+jwt` and RFC 9068's required claims and,
 * with `BENCH_REVOCATION=on`, follows the issuer's revocation feed. `GET /bench/status` (no token)
 * answers the process's memory and the Warden verifier's status, for the memory soak.
 *
 * Environment: PORT (required), BENCH_VARIANT, BENCH_ALG (RS256 | ES256), BENCH_ISSUER (its
 * `.well-known/jwks.json` and `oauth/revocations` are used), BENCH_AUDIENCE, BENCH_REVOCATION
 * (on | off, default on). Listens on 127.0.0.1 and prints one ready line.
 */
import { createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import type { Server } from 'node:http';
import fastifyJwt from '@fastify/jwt';
import type { Verifier, VerifierOptions } from '@warden/resource';
import { createJwtCheck } from '@warden/resource/express';
import { wardenPlugin } from '@warden/resource/fastify';
import express, { type ErrorRequestHandler } from 'express';
import { expressjwt } from 'express-jwt';
import Fastify, { type FastifyInstance } from 'fastify';
import jwksRsa from 'jwks-rsa';
import { dragons } from '../../apps/dragons-api/src/dragons.js';
import { API_ALGS, API_VARIANTS, type ApiAlg, type ApiVariant } from '../lib/api-variants.js';
import { closeServer, printReadyLine, stopOnSignal } from '../lib/server-process.js';

interface Settings {
  port: number;
  variant: ApiVariant;
  alg: ApiAlg;
  issuer: string;
  audience: string;
  jwksUri: string;
  revocation: boolean;
}

/** A running variant. */
interface Running {
  close(): Promise<void>;
}

function readSettings(env: NodeJS.ProcessEnv): Settings {
  const port = Number(env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new TypeError('PORT is required');
  const variant = env.BENCH_VARIANT as ApiVariant;
  if (!API_VARIANTS.includes(variant))
    throw new TypeError(`BENCH_VARIANT: one of ${API_VARIANTS.join(', ')}`);
  const alg = (env.BENCH_ALG ?? 'RS256') as ApiAlg;
  if (!API_ALGS.includes(alg)) throw new TypeError('BENCH_ALG must be RS256 or ES256');
  const issuer = env.BENCH_ISSUER ?? '';
  if (!issuer.startsWith('http://127.0.0.1:') || !issuer.endsWith('/')) {
    throw new TypeError('BENCH_ISSUER must be http://127.0.0.1:<port>/');
  }
  const audience = env.BENCH_AUDIENCE ?? '';
  if (!audience) throw new TypeError('BENCH_AUDIENCE is required');
  const revocation = (env.BENCH_REVOCATION ?? 'on') === 'on';
  return { port, variant, alg, issuer, audience, jwksUri: `${issuer}.well-known/jwks.json`, revocation };
}

/** The same verifier options for Express and Fastify. */
function wardenOptions(settings: Settings): VerifierOptions {
  return {
    issuer: settings.issuer,
    audience: settings.audience,
    algorithms: [settings.alg],
    jwksUri: settings.jwksUri,
    revocation: settings.revocation ? { feedUrl: `${settings.issuer}oauth/revocations` } : false,
    logger: { warn: (details, message) => console.error(message, details) },
  };
}

function memoryStatus(verifier: Verifier | undefined) {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return {
    rssMb: mb(usage.rss),
    heapUsedMb: mb(usage.heapUsed),
    externalMb: mb(usage.external),
    verifier: verifier?.status() ?? null,
  };
}

/**
 * The floor's check: true when `authorization` is `Bearer <token>` and the token's signature
 * verifies with `key`. Nothing else (no form, header, payload or claim checks).
 */
function signatureOnly(alg: ApiAlg, key: KeyObject): (authorization: string | undefined) => boolean {
  const keyOptions = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  return (authorization) => {
    if (authorization === undefined || !authorization.startsWith('Bearer ')) return false;
    const dot = authorization.lastIndexOf('.');
    if (dot < 7) return false;
    const signingInput = Buffer.from(authorization.slice(7, dot), 'latin1');
    const signature = Buffer.from(authorization.slice(dot + 1), 'base64url');
    try {
      return verify('sha256', signingInput, keyOptions, signature);
    } catch {
      return false;
    }
  };
}

async function startExpress(settings: Settings): Promise<Running> {
  const app = express();
  let verifier: Verifier | undefined;
  if (settings.variant === 'express-bare') {
    app.get('/api/dragons', (_req, res) => {
      res.json(dragons);
    });
  } else if (settings.variant === 'express-floor') {
    const check = signatureOnly(settings.alg, await fetchPublicKey(settings));
    app.get(
      '/api/dragons',
      (req, res, next) => {
        if (check(req.headers.authorization)) next();
        else res.status(401).json({ error: 'invalid_token' });
      },
      (_req, res) => {
        res.json(dragons);
      },
    );
  } else if (settings.variant === 'express-jwt') {
    const jwtCheck = expressjwt({
      secret: jwksRsa.expressJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: settings.jwksUri,
      }),
      audience: settings.audience,
      issuer: settings.issuer,
      algorithms: [settings.alg],
    });
    app.get('/api/dragons', jwtCheck, (_req, res) => {
      res.json(dragons);
    });
  } else {
    const jwtCheck = createJwtCheck(wardenOptions(settings));
    verifier = jwtCheck.verifier;
    await verifier.ready();
    app.get('/api/dragons', jwtCheck, (_req, res) => {
      res.json(dragons);
    });
  }
  app.get('/bench/status', (_req, res) => {
    res.json(memoryStatus(verifier));
  });
  const unauthorized: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.code ?? 'server_error', message: error.message });
  };
  app.use(unauthorized);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(settings.port, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  return {
    async close() {
      await closeServer(server);
      await verifier?.close();
    },
  };
}

/** The public key of `alg` from the issuer's JWKS, read once at start. */
async function fetchPublicKey(settings: Settings): Promise<KeyObject> {
  const response = await fetch(settings.jwksUri);
  const jwks = (await response.json()) as { keys: (JsonWebKey & { alg?: string })[] };
  const jwk = jwks.keys.find((key) => key.alg === settings.alg);
  if (!jwk) throw new Error(`no ${settings.alg} key in ${settings.jwksUri}`);
  return createPublicKey({ key: jwk, format: 'jwk' });
}

/** The same key as PEM: how @fastify/jwt is given an RSA or EC key. */
async function fetchPublicKeyPem(settings: Settings): Promise<string> {
  return (await fetchPublicKey(settings)).export({ type: 'spki', format: 'pem' }).toString();
}

async function startFastify(settings: Settings): Promise<Running> {
  const app: FastifyInstance = Fastify();
  let verifier: Verifier | undefined;
  if (settings.variant === 'fastify-bare') {
    app.get('/api/dragons', async () => dragons);
  } else if (settings.variant === 'fastify-floor') {
    const check = signatureOnly(settings.alg, await fetchPublicKey(settings));
    app.get(
      '/api/dragons',
      {
        preHandler: (request, reply, done) => {
          if (check(request.headers.authorization)) done();
          else reply.code(401).send({ error: 'invalid_token' });
        },
      },
      async () => dragons,
    );
  } else if (settings.variant === 'fastify-jwt') {
    await app.register(fastifyJwt, {
      secret: { public: await fetchPublicKeyPem(settings) },
      verify: { allowedIss: settings.issuer, allowedAud: settings.audience, algorithms: [settings.alg] },
    });
    app.get(
      '/api/dragons',
      {
        preHandler: async (request) => {
          await request.jwtVerify();
        },
      },
      async () => dragons,
    );
  } else {
    await app.register(wardenPlugin, wardenOptions(settings));
    verifier = app.warden;
    await verifier.ready();
    app.get('/api/dragons', { preHandler: app.authenticate() }, async () => dragons);
  }
  app.get('/bench/status', async () => memoryStatus(verifier));
  await app.listen({ port: settings.port, host: '127.0.0.1' });
  return { close: () => app.close() };
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const running = settings.variant.startsWith('express-')
    ? await startExpress(settings)
    : await startFastify(settings);
  printReadyLine({ server: settings.variant, alg: settings.alg, revocation: settings.revocation });
  stopOnSignal(() => running.close());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
