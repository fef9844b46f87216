import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnections } from '@warden/connections';
import { mountManagementApi, registerManagementApi } from '@warden/management';
import {
  Admin,
  type AuthorizationServer,
  createAuthorizationServer,
  type Logger,
  openStorage,
} from '@warden/server';
import { createPostgresStore, createRedisStore, createSqliteStore, type SessionStore } from '@warden/session';
import type { IdpEnv } from './idp-env.js';

export interface Idp {
  server: AuthorizationServer;
  admin: Admin;
  /** The management API's identifier (`<issuer>api/v2/`), mounted and registered. */
  managementApi: string;
  /** Where the data lives, for the start-up banner. */
  storageDescription: string;
  close(): Promise<void>;
}

/**
 * The shared secret of the idp processes: `WARDEN_SECRET`, or one generated on first start and
 * kept in `<dataDir>/secret` (readable by its owner only). Several processes sharing PostgreSQL
 * must all be given the same `WARDEN_SECRET`.
 */
function loadSecret(env: IdpEnv): string {
  if (env.secret) return env.secret;
  const file = join(env.dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(env.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/**
 * Where SSO sessions live: Redis when `REDIS_URL` is set, else PostgreSQL when `DATABASE_URL` is
 * (a pool of the store's own, with its one-second deadlines), else the SQLite file that holds the
 * rest. The network stores fail closed: the idp answers 503 while they are unreachable.
 */
async function openSessionStore(
  env: IdpEnv,
  opened: Awaited<ReturnType<typeof openStorage>>,
): Promise<{ store: SessionStore; description: string }> {
  if (env.redisUrl) return { store: createRedisStore({ redis: env.redisUrl }), description: 'Redis' };
  if (opened.sqlite) return { store: createSqliteStore({ database: opened.sqlite }), description: 'SQLite' };
  if (!env.databaseUrl) throw new Error('storage opened neither SQLite nor PostgreSQL');
  return { store: await createPostgresStore({ database: env.databaseUrl }), description: 'PostgreSQL' };
}

/** The entries of `settings` that are set. */
function definedOnly<T extends object>(settings: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Opens storage and builds the server the way the idp app and the CLI both need it, with the
 * connections of `@warden/connections` (plain-http localhost upstreams only when
 * `WARDEN_ALLOW_INSECURE_UPSTREAMS` allows them) and the management API of `@warden/management`
 * at `<issuer>api/v2/`, registered as an API (so `warden clients add --api <issuer>api/v2/` works
 * before the idp ever ran).
 */
export async function openIdp(env: IdpEnv, logger?: Logger): Promise<Idp> {
  const opened = await openStorage(
    env.databaseUrl ? { databaseUrl: env.databaseUrl } : { sqliteFile: join(env.dataDir, 'warden.db') },
  );
  let sessions: { store: SessionStore; description: string };
  try {
    sessions = await openSessionStore(env, opened);
  } catch (error) {
    await opened.close();
    throw error;
  }
  const sessionStore = sessions.store;
  const server = createAuthorizationServer({
    issuer: env.issuer,
    storage: opened.storage,
    sessionStore,
    secret: loadSecret(env),
    signup: env.signup,
    upstream: [createConnections({ allowInsecureLocalhost: env.allowInsecureUpstreams })],
    ...(env.logRetentionDays !== undefined ? { logRetention: env.logRetentionDays } : {}),
    managementRateLimit: definedOnly(env.managementRateLimit),
    ...(logger ? { logger } : {}),
  });
  const management = mountManagementApi(server);
  try {
    await registerManagementApi(server);
  } catch (error) {
    await sessionStore.close?.();
    await opened.close();
    throw error;
  }
  const admin = new Admin(server.context);
  return {
    server,
    admin,
    managementApi: management.audience,
    storageDescription: `${opened.sqlite ? `SQLite ${join(env.dataDir, 'warden.db')}` : 'PostgreSQL'}, sessions in ${sessions.description}`,
    async close() {
      await management.close();
      await sessionStore.close?.();
      await opened.close();
    },
  };
}
