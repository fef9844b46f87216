import { resolve } from 'node:path';

/** What the idp reads from the environment; only apps read env vars. */
export interface IdpEnv {
  port: number;
  host: string;
  issuer: string;
  databaseUrl: string | undefined;
  /** Where SSO sessions live when set (else with the rest of the data). */
  redisUrl: string | undefined;
  dataDir: string;
  secret: string | undefined;
  configFile: string | undefined;
  signup: boolean;
  demo: boolean;
  /** The Dragons app's origins (demo only): its callback, allowed origin and logout URL. */
  dragonsAppOrigins: string[];
  /** Lifetime in seconds of the demo Dragons API's access tokens; undefined means the server default. */
  dragonsApiTokenTtl: number | undefined;
  /** The secret of the Dragons app's cookie-mode client `dragons-web` (demo only); unset: not registered. */
  dragonsBffClientSecret: string | undefined;
  logLevel: string;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new TypeError(`expected a boolean (true/false), got "${value}"`);
}

/** Comma-separated origins (`scheme://host[:port]`, a trailing `/` is dropped). */
function origins(name: string, value: string | undefined, fallback: string): string[] {
  const entries = (value || fallback)
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new TypeError(`${name} must name at least one origin`);
  return entries.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
      throw new TypeError(`${name}: "${entry}" is not an origin (scheme://host[:port])`);
    }
    return url.origin;
  });
}

function positiveSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new TypeError(`${name} must be a positive whole number of seconds, got "${value}"`);
  }
  return seconds;
}

/**
 * Reads `PORT`, `HOST`, `WARDEN_ISSUER`, `DATABASE_URL`, `REDIS_URL`, `WARDEN_DATA_DIR`, `WARDEN_SECRET`,
 * `WARDEN_CONFIG`, `WARDEN_SIGNUP`, `WARDEN_DEMO`, `DRAGONS_APP_ORIGIN`, `DRAGONS_API_TOKEN_TTL`,
 * `DRAGONS_BFF_CLIENT_SECRET` and `LOG_LEVEL` (see docs/configuration.md). Throws `TypeError` naming a malformed value.
 */
export function readIdpEnv(env: NodeJS.ProcessEnv = process.env): IdpEnv {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('PORT must be a port number');
  return {
    port,
    host: env.HOST ?? 'localhost',
    issuer: env.WARDEN_ISSUER ?? `http://localhost:${port}/`,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    dataDir: resolve(env.WARDEN_DATA_DIR ?? 'data'),
    secret: env.WARDEN_SECRET || undefined,
    configFile: env.WARDEN_CONFIG || undefined,
    signup: flag(env.WARDEN_SIGNUP, true),
    demo: flag(env.WARDEN_DEMO, true),
    dragonsAppOrigins: origins('DRAGONS_APP_ORIGIN', env.DRAGONS_APP_ORIGIN, 'http://localhost:4200'),
    dragonsApiTokenTtl: positiveSeconds('DRAGONS_API_TOKEN_TTL', env.DRAGONS_API_TOKEN_TTL),
    dragonsBffClientSecret: env.DRAGONS_BFF_CLIENT_SECRET || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
