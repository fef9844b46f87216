/**
 * The Warden idp as `npm start` composes it (`openIdp`: embedded SQLite, SQLite SSO sessions,
 * pino at LOG_LEVEL, default `info`) on a throw-away data folder, with the demo off and a
 * registration made for the benchmark instead. Listens on 127.0.0.1:$PORT and prints one ready
 * line: `{"ready":true,"client_id":…,"client_secret":…,"api":…,"scope":…,"spa_client_id":…,
 * "users":[{"login":…,"password":…}]}`.
 *
 * Environment: PORT (required), BENCH_ALG (RS256 | ES256, default RS256) for the API's signing
 * algorithm, BENCH_USERS (default 0) users to create, LOG_LEVEL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { SigningAlg } from '@warden/server';
import pino from 'pino';
import { applyConfig } from '../../apps/idp/src/apply-config.js';
import { readIdpEnv } from '../../apps/idp/src/idp-env.js';
import { openIdp } from '../../apps/idp/src/open-idp.js';
import { printReadyLine, stopOnSignal } from '../lib/server-process.js';

const BENCH_API = 'https://api.bench.example/';
const BENCH_SCOPE = 'read:things';
const SPA_CLIENT_ID = 'bench-spa';
const SPA_CALLBACK = 'http://127.0.0.1:4200/callback';

function readAlg(value: string | undefined): SigningAlg {
  const alg = value ?? 'RS256';
  if (alg !== 'RS256' && alg !== 'ES256') throw new TypeError('BENCH_ALG must be RS256 or ES256');
  return alg;
}

function benchUsers(count: number): { email: string; password: string }[] {
  if (!Number.isInteger(count) || count < 0 || count > 1000) throw new TypeError('BENCH_USERS: 0 to 1000');
  return Array.from({ length: count }, (_, i) => ({
    email: `user${i}@bench.example`,
    password: `bench-password-${i}`,
  }));
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new TypeError('PORT is required');
  const alg = readAlg(process.env.BENCH_ALG);
  const users = benchUsers(Number(process.env.BENCH_USERS ?? 0));
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
  const env = readIdpEnv({
    ...process.env,
    HOST: '127.0.0.1',
    WARDEN_ISSUER: `http://127.0.0.1:${port}/`,
    WARDEN_DATA_DIR: dataDir,
    WARDEN_DEMO: 'false',
    DATABASE_URL: '',
    WARDEN_SECRET: '',
    WARDEN_CONFIG: '',
  });
  const logger = pino({ level: env.logLevel, redact: ['password', 'client_secret', 'token'] });
  const idp = await openIdp(env, logger);
  const secrets = await applyConfig(idp.admin, {
    apis: [{ identifier: BENCH_API, name: 'Bench API', alg, scopes: [BENCH_SCOPE] }],
    clients: [
      { client_id: 'bench-m2m', type: 'm2m', name: 'Bench M2M', apis: [BENCH_API] },
      { client_id: SPA_CLIENT_ID, type: 'spa', name: 'Bench SPA', callbacks: [SPA_CALLBACK] },
    ],
    users: users.map((user) => ({ ...user, emailVerified: true })),
  });
  await idp.server.context.keys.ensure(['RS256']);
  const server = serve({ fetch: idp.server.fetch, port: env.port, hostname: env.host }, () => {
    printReadyLine({
      server: 'warden',
      alg,
      client_id: 'bench-m2m',
      client_secret: secrets['bench-m2m'],
      api: BENCH_API,
      scope: BENCH_SCOPE,
      spa_client_id: SPA_CLIENT_ID,
      redirect_uri: SPA_CALLBACK,
      users: users.map((user) => ({ login: user.email, password: user.password })),
    });
  });
  stopOnSignal(async () => {
    server.close();
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
