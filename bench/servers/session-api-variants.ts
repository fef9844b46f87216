/**
 * `GET /api/dragons` on Express 5 behind one way of knowing the caller, chosen by `BENCH_VARIANT`
 * (see `lib/session-variants.ts`):
 *
 * - `express-bare`: no check, the ceiling;
 * - `bearer-rs256`, `bearer-es256`: Warden's `createJwtCheck` (JWKS from the bench issuer);
 * - `session-sqlite|redis|postgres`: the same check wrapped in `acceptSessions`, reading a Warden
 *   session cookie from that store (the session holds an RS256 access token, as the
 *   backend-for-frontend leaves it; the token is verified like a bearer one);
 * - `express-session-redis`: express-session + connect-redis on ioredis, configured as
 *   connect-redis's README shows (`resave: false`, `saveUninitialized: false`), with a route
 *   guard that answers 401 without `req.session.userId`.
 *
 * `GET /bench/login` starts a session for the benchmark user and answers its `Set-Cookie`; the
 * session variants' cookie is what the load then sends. Environment: PORT, BENCH_VARIANT,
 * BENCH_ISSUER, BENCH_AUDIENCE, BENCH_TOKEN (the RS256 token sessions hold), REDIS_URL,
 * DATABASE_URL, BENCH_PREFIX (keys and table names of this run).
 */
import type { Server } from 'node:http';
import { acceptSessions, createVerifier, type Verifier } from '@warden/resource';
import { createJwtCheck } from '@warden/resource/express';
import {
  createPostgresStore,
  createRedisStore,
  createSessionManager,
  createSqliteStore,
  type SessionManager,
  type SessionStore,
} from '@warden/session';
import { RedisStore } from 'connect-redis';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import session from 'express-session';
import { Redis } from 'ioredis';
import { dragons } from '../../apps/dragons-api/src/dragons.js';
import { closeServer, printReadyLine, stopOnSignal } from '../lib/server-process.js';
import { SESSION_VARIANTS, type SessionVariant } from '../lib/session-variants.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
  }
}

const APP_ORIGIN = 'http://localhost:4200';
const COOKIE = 'dragons_session';

function need(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new TypeError(`${name} is required`);
  return value;
}

async function openStore(variant: SessionVariant, env: NodeJS.ProcessEnv): Promise<SessionStore> {
  const prefix = need(env, 'BENCH_PREFIX');
  if (variant === 'session-sqlite') return createSqliteStore({ database: ':memory:' });
  if (variant === 'session-redis')
    return createRedisStore({ redis: need(env, 'REDIS_URL'), prefix: `${prefix}:` });
  return createPostgresStore({ database: need(env, 'DATABASE_URL'), table: `${prefix}_sessions` });
}

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(need(env, 'PORT'));
  const variant = env.BENCH_VARIANT as SessionVariant;
  if (!SESSION_VARIANTS.includes(variant))
    throw new TypeError(`BENCH_VARIANT: one of ${SESSION_VARIANTS.join(', ')}`);
  const issuer = need(env, 'BENCH_ISSUER');
  const audience = need(env, 'BENCH_AUDIENCE');
  const app = express();
  let verifier: Verifier | undefined;
  let sessions: SessionManager | undefined;
  let redis: Redis | undefined;
  let store: SessionStore | undefined;

  if (variant === 'express-bare') {
    app.get('/bench/login', (_req, res) => {
      res.json({});
    });
  } else if (variant === 'express-session-redis') {
    redis = new Redis(need(env, 'REDIS_URL'));
    app.use(
      session({
        store: new RedisStore({ client: redis, prefix: `${need(env, 'BENCH_PREFIX')}:` }),
        resave: false,
        saveUninitialized: false,
        secret: 'bench-secret-bench-secret-bench-secret',
      }),
    );
    app.get('/bench/login', (req, res) => {
      req.session.userId = 'bench-user';
      res.json({});
    });
    const guard: RequestHandler = (req, res, next) => {
      if (req.session.userId) next();
      else res.status(401).json({ error: 'login_required' });
    };
    app.use('/api', guard);
  } else {
    const alg = variant === 'bearer-es256' ? 'ES256' : 'RS256';
    const base = createVerifier({
      issuer,
      audience,
      algorithms: [alg],
      jwksUri: `${issuer}.well-known/jwks.json`,
      revocation: false,
    });
    if (variant.startsWith('session-')) {
      store = await openStore(variant, env);
      sessions = createSessionManager({ store, cookieName: COOKIE, secure: false });
      verifier = acceptSessions(base, { sessions, allowedOrigins: [APP_ORIGIN] });
      const token = need(env, 'BENCH_TOKEN');
      app.get('/bench/login', async (_req, res) => {
        const issued = await sessions!.create('bench-user', {
          tokens: { accessToken: token, idToken: '', expiresAt: Date.now() + 3_600_000, scope: '' },
          user: { sub: 'bench-user' },
        });
        res.setHeader('set-cookie', issued.cookie).json({});
      });
    } else {
      verifier = base;
    }
    await verifier.ready();
    app.use('/api', createJwtCheck(verifier));
  }
  app.get('/api/dragons', (_req, res) => {
    res.json(dragons);
  });
  const unauthorized: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ error: error.code ?? 'server_error' });
  };
  app.use(unauthorized);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  printReadyLine({ server: variant });
  stopOnSignal(async () => {
    await closeServer(server);
    await verifier?.close();
    await store?.close?.();
    redis?.disconnect();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
