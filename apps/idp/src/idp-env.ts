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
  /**
   * Which demo this idp registers: `dragons` (the Dragons API and app, two users; and the guild's
   * connection when `dragonsGuild` is set), `guild` (this idp is the Dragon Riders Guild, the demo's
   * upstream identity provider), or false (none).
   */
  demo: DemoMode;
  /** Whether connections may name `http://localhost` upstreams (a local demo or test only). */
  allowInsecureUpstreams: boolean;
  /** The Dragons app's origins (demo only): its callback, allowed origin and logout URL. */
  dragonsAppOrigins: string[];
  /** Lifetime in seconds of the demo Dragons API's access tokens; undefined means the server default. */
  dragonsApiTokenTtl: number | undefined;
  /** The secret of the Dragons app's cookie-mode client `dragons-web` (demo only); unset: not registered. */
  dragonsBffClientSecret: string | undefined;
  /**
   * The Dragon Riders Guild (demo only). In the Dragons demo: where it runs, registered as the `oidc`
   * connection `guild` when set. In the guild (`demo: 'guild'`): where its client for the Dragons
   * demo's idp sends users back. Both sides share the client secret.
   */
  dragonsGuild: DragonsGuildEnv | undefined;
  logLevel: string;
  /** Days the audit log keeps an entry (`WARDEN_LOG_RETENTION_DAYS`); undefined: the server default, 30. */
  logRetentionDays: number | undefined;
  /**
   * Requests each caller may make to the management API per window (`WARDEN_MANAGEMENT_RATE_LIMIT`,
   * `WARDEN_MANAGEMENT_RATE_WINDOW` in seconds); each undefined: the server default, 100 per 10 s.
   */
  managementRateLimit: { limit: number | undefined; window: number | undefined };
}

export type DemoMode = 'dragons' | 'guild' | false;

export interface DragonsGuildEnv {
  /** The guild's issuer (`DRAGONS_GUILD_ISSUER`); unset in the guild itself. */
  issuer: string | undefined;
  /** The Dragons demo idp's callback the guild accepts (`DRAGONS_GUILD_CALLBACK`). */
  callback: string;
  /** The secret of the Dragons demo idp's client at the guild (`DRAGONS_GUILD_CLIENT_SECRET`). */
  clientSecret: string;
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

/** `WARDEN_DEMO`: a boolean (true means the Dragons demo) or `guild`. */
function demoMode(value: string | undefined): DemoMode {
  if (value === 'guild') return 'guild';
  try {
    return flag(value, true) ? 'dragons' : false;
  } catch {
    throw new TypeError(`WARDEN_DEMO must be true, false or guild, got "${value}"`);
  }
}

/** An absolute http(s) URL, or undefined when unset. */
function url(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || !/^https?:$/.test(parsed.protocol)) {
    throw new TypeError(`${name} must be an http(s) URL, got "${value}"`);
  }
  return parsed.href;
}

/**
 * The guild's settings, when the demo has one: the Dragons demo with `DRAGONS_GUILD_ISSUER`, or the
 * guild itself. Both need `DRAGONS_GUILD_CLIENT_SECRET`.
 */
function dragonsGuild(demo: DemoMode, env: NodeJS.ProcessEnv, issuer: string): DragonsGuildEnv | undefined {
  const guildIssuer = url('DRAGONS_GUILD_ISSUER', env.DRAGONS_GUILD_ISSUER);
  if (demo === false || (demo === 'dragons' && guildIssuer === undefined)) return undefined;
  const clientSecret = env.DRAGONS_GUILD_CLIENT_SECRET;
  if (!clientSecret) {
    throw new TypeError(
      demo === 'guild'
        ? 'WARDEN_DEMO=guild needs DRAGONS_GUILD_CLIENT_SECRET (the secret of its client for the Dragons demo)'
        : "DRAGONS_GUILD_ISSUER needs DRAGONS_GUILD_CLIENT_SECRET (the secret of this idp's client at the guild)",
    );
  }
  return {
    issuer: demo === 'dragons' ? guildIssuer : undefined,
    callback:
      url('DRAGONS_GUILD_CALLBACK', env.DRAGONS_GUILD_CALLBACK) ??
      (demo === 'dragons' ? `${issuer}login/callback` : 'http://localhost:3000/login/callback'),
    clientSecret,
  };
}

function positiveSeconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new TypeError(`${name} must be a positive whole number of seconds, got "${value}"`);
  }
  return seconds;
}

/** A whole number from `min` to `max`, or undefined when unset. */
function wholeNumber(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
    throw new TypeError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/** Whole days from 1 to 3650, or undefined when unset. */
function wholeDays(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(days) || days < 1 || days > 3650) {
    throw new TypeError(`${name} must be a whole number of days from 1 to 3650, got "${value}"`);
  }
  return days;
}

/**
 * Reads `PORT`, `HOST`, `WARDEN_ISSUER`, `DATABASE_URL`, `REDIS_URL`, `WARDEN_DATA_DIR`, `WARDEN_SECRET`,
 * `WARDEN_CONFIG`, `WARDEN_SIGNUP`, `WARDEN_DEMO`, `WARDEN_ALLOW_INSECURE_UPSTREAMS`, `WARDEN_LOG_RETENTION_DAYS`,
 * `WARDEN_MANAGEMENT_RATE_LIMIT`, `WARDEN_MANAGEMENT_RATE_WINDOW`,
 * `DRAGONS_APP_ORIGIN`, `DRAGONS_API_TOKEN_TTL`, `DRAGONS_BFF_CLIENT_SECRET`, `DRAGONS_GUILD_ISSUER`,
 * `DRAGONS_GUILD_CALLBACK`, `DRAGONS_GUILD_CLIENT_SECRET` and `LOG_LEVEL` (see docs/configuration.md).
 * Throws `TypeError` naming a malformed value.
 */
export function readIdpEnv(env: NodeJS.ProcessEnv = process.env): IdpEnv {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('PORT must be a port number');
  const issuer = env.WARDEN_ISSUER ?? `http://localhost:${port}/`;
  const demo = demoMode(env.WARDEN_DEMO);
  let allowInsecureUpstreams: boolean;
  try {
    allowInsecureUpstreams = flag(env.WARDEN_ALLOW_INSECURE_UPSTREAMS, false);
  } catch {
    throw new TypeError(
      `WARDEN_ALLOW_INSECURE_UPSTREAMS must be true or false, got "${env.WARDEN_ALLOW_INSECURE_UPSTREAMS}"`,
    );
  }
  return {
    port,
    host: env.HOST ?? 'localhost',
    issuer,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    dataDir: resolve(env.WARDEN_DATA_DIR ?? 'data'),
    secret: env.WARDEN_SECRET || undefined,
    configFile: env.WARDEN_CONFIG || undefined,
    signup: flag(env.WARDEN_SIGNUP, true),
    demo,
    allowInsecureUpstreams,
    dragonsAppOrigins: origins('DRAGONS_APP_ORIGIN', env.DRAGONS_APP_ORIGIN, 'http://localhost:4200'),
    dragonsApiTokenTtl: positiveSeconds('DRAGONS_API_TOKEN_TTL', env.DRAGONS_API_TOKEN_TTL),
    dragonsBffClientSecret: env.DRAGONS_BFF_CLIENT_SECRET || undefined,
    dragonsGuild: dragonsGuild(demo, env, issuer),
    logLevel: env.LOG_LEVEL ?? 'info',
    logRetentionDays: wholeDays('WARDEN_LOG_RETENTION_DAYS', env.WARDEN_LOG_RETENTION_DAYS),
    managementRateLimit: {
      limit: wholeNumber('WARDEN_MANAGEMENT_RATE_LIMIT', env.WARDEN_MANAGEMENT_RATE_LIMIT, 1, 1_000_000),
      window: wholeNumber('WARDEN_MANAGEMENT_RATE_WINDOW', env.WARDEN_MANAGEMENT_RATE_WINDOW, 1, 3600),
    },
  };
}
