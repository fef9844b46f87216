import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Bff, type BffOptions, createBff } from '@warden/bff';
import {
  createRedisStore,
  createSessionManager,
  createSqliteStore,
  type SessionStore,
} from '@warden/session';
import type { CookieModeEnv } from './spa-server-env.js';

/** The session cookie of the Dragons app: its own name, since the idp on the same host uses `__Host-warden_session`. */
export const dragonsSessionCookie = '__Host-dragons_session';
/** Redis keys of the app's sessions, apart from the idp's (`warden:session:`) should they share a Redis. */
export const dragonsRedisPrefix = 'dragons:session:';

export interface DragonsBff {
  bff: Bff;
  /** Where the sessions live, for the banner: `Redis` or `SQLite <file>`. */
  storeDescription: string;
  close(): Promise<void>;
}

/**
 * The Dragons app's backend-for-frontend (cookie mode): signs in as the confidential client of
 * `env`, keeps the tokens in sessions under the cookie `__Host-dragons_session` (in Redis when
 * `redisUrl` is set, else in the SQLite file `sessionsFile`, created with mode 0600 along with its
 * directory), and forwards `/api/*` to the Dragons API. `overrides` are for tests (`clock`, read
 * by the session manager and through it by the BFF; `fetch`) and logs (`onError`).
 */
export function createDragonsBff(
  env: CookieModeEnv,
  overrides: Pick<BffOptions, 'fetch' | 'onError'> & { clock?: () => number } = {},
): DragonsBff {
  let store: SessionStore;
  let storeDescription: string;
  if (env.redisUrl) {
    store = createRedisStore({ redis: env.redisUrl, prefix: dragonsRedisPrefix });
    storeDescription = 'Redis';
  } else {
    mkdirSync(dirname(env.sessionsFile), { recursive: true, mode: 0o700 });
    // The sessions hold refresh tokens: the file is the owner's alone (SQLite gives its WAL the same mode).
    closeSync(openSync(env.sessionsFile, 'a', 0o600));
    store = createSqliteStore({ database: env.sessionsFile });
    storeDescription = `SQLite ${env.sessionsFile}`;
  }
  const sessions = createSessionManager({
    store,
    cookieName: dragonsSessionCookie,
    ...(overrides.clock && { clock: overrides.clock }),
  });
  const bff = createBff({
    issuer: env.issuer,
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    appOrigin: env.appOrigin,
    audience: env.audience,
    scope: env.scope,
    apis: [{ prefix: '/api/', target: env.apiUrl }],
    sessions,
    secret: env.secret,
    ...(overrides.fetch && { fetch: overrides.fetch }),
    ...(overrides.onError && { onError: overrides.onError }),
  });
  return { bff, storeDescription, close: async () => store.close?.() };
}
