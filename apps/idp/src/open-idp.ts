import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Admin,
  type AuthorizationServer,
  createAuthorizationServer,
  type Logger,
  openStorage,
} from '@warden/server';
import { createMemoryStore, createSqliteStore, type SessionStore } from '@warden/session';
import type { IdpEnv } from './idp-env.js';

export interface Idp {
  server: AuthorizationServer;
  admin: Admin;
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

/** Opens storage and builds the server the way the idp app and the CLI both need it. */
export async function openIdp(env: IdpEnv, logger?: Logger): Promise<Idp> {
  const opened = await openStorage(
    env.databaseUrl ? { databaseUrl: env.databaseUrl } : { sqliteFile: join(env.dataDir, 'warden.db') },
  );
  let sessionStore: SessionStore;
  if (opened.sqlite) {
    sessionStore = createSqliteStore({ database: opened.sqlite });
  } else {
    logger?.warn({}, 'SSO sessions are kept in memory: run one idp process, or give them a shared store');
    sessionStore = createMemoryStore();
  }
  const server = createAuthorizationServer({
    issuer: env.issuer,
    storage: opened.storage,
    sessionStore,
    secret: loadSecret(env),
    signup: env.signup,
    ...(logger ? { logger } : {}),
  });
  const admin = new Admin(server.context);
  return {
    server,
    admin,
    storageDescription: opened.sqlite ? `SQLite ${join(env.dataDir, 'warden.db')}` : 'PostgreSQL',
    async close() {
      await sessionStore.close?.();
      await opened.close();
    },
  };
}
