import { resolve } from 'node:path';

/** What the idp reads from the environment; only apps read env vars. */
export interface IdpEnv {
  port: number;
  host: string;
  issuer: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secret: string | undefined;
  configFile: string | undefined;
  signup: boolean;
  demo: boolean;
  logLevel: string;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new TypeError(`expected a boolean (true/false), got "${value}"`);
}

/**
 * Reads `PORT`, `HOST`, `WARDEN_ISSUER`, `DATABASE_URL`, `WARDEN_DATA_DIR`, `WARDEN_SECRET`,
 * `WARDEN_CONFIG`, `WARDEN_SIGNUP`, `WARDEN_DEMO` and `LOG_LEVEL` (see docs/configuration.md).
 */
export function readIdpEnv(env: NodeJS.ProcessEnv = process.env): IdpEnv {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('PORT must be a port number');
  return {
    port,
    host: env.HOST ?? 'localhost',
    issuer: env.WARDEN_ISSUER ?? `http://localhost:${port}/`,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.WARDEN_DATA_DIR ?? 'data'),
    secret: env.WARDEN_SECRET || undefined,
    configFile: env.WARDEN_CONFIG || undefined,
    signup: flag(env.WARDEN_SIGNUP, true),
    demo: flag(env.WARDEN_DEMO, true),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
