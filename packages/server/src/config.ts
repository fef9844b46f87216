import type { SessionStore } from '@warden/session';
import type { UpstreamMethod } from './connections/upstream-method.js';
import type { RateLimitSettings } from './security/rate-limit.js';
import type { Storage } from './storage/storage.js';

/** The logger the server writes to; pino satisfies it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ServerOptions {
  /** The issuer identifier, ending in `/`. Must be https unless the host is localhost. */
  issuer: string;
  storage: Storage;
  /** Store for the SSO session at the idp. */
  sessionStore: SessionStore;
  /**
   * At least 32 bytes of secret material shared by every idp process: keys the CSRF tokens of the
   * hosted pages. Rotating it only invalidates forms that are open at that moment.
   */
  secret: string;
  /** Whether the hosted pages offer sign-up. Default true. */
  signup?: boolean;
  ttl?: Partial<Ttl>;
  /** Seconds during which an identical retry of a just-spent refresh token gets the same answer. */
  refreshGraceWindow?: number;
  throttle?: Partial<ThrottleSettings>;
  /** Largest request body accepted, in bytes. */
  maxBodySize?: number;
  /** Largest token accepted at userinfo, revoke and introspect, in bytes. */
  maxTokenSize?: number;
  logger?: Logger;
  /** Milliseconds since the epoch; tests pass a fake. */
  clock?: () => number;
  /**
   * Ways to sign in at upstream identity providers (e.g. `@warden/connections`), for connections of
   * their strategies. Default none: only the password database.
   */
  upstream?: readonly UpstreamMethod[];
  /** Days the audit log keeps an entry (`purgeExpired` deletes older ones). Default 30. */
  logRetention?: number;
  /**
   * Requests each client may make to the management API per window (seconds), counted in the
   * database so every idp process shares it. Default 100 per 10 s.
   */
  managementRateLimit?: Partial<RateLimitSettings>;
}

export interface Ttl {
  /** Access tokens when the API sets none. */
  accessToken: number;
  idToken: number;
  /** Absolute lifetime of a refresh token family. */
  refreshToken: number;
  authorizationCode: number;
  /** How long a pending sign-in (login or consent page) stays usable. */
  interaction: number;
  /** SSO session at the idp: idle and absolute timeouts. */
  sessionIdle: number;
  sessionAbsolute: number;
}

export interface ThrottleSettings {
  /** Failed attempts allowed per account in `window` seconds. */
  perAccount: number;
  /** Attempts allowed per client IP in `window` seconds. */
  perIp: number;
  window: number;
}

export interface ServerConfig {
  readonly issuer: string;
  readonly issuerUrl: URL;
  /** The audience of tokens that may call userinfo: `<issuer>userinfo`. */
  readonly userinfoAudience: string;
  readonly storage: Storage;
  readonly sessionStore: SessionStore;
  readonly secret: string;
  readonly signup: boolean;
  readonly ttl: Readonly<Ttl>;
  readonly refreshGraceWindow: number;
  readonly throttle: Readonly<ThrottleSettings>;
  readonly maxBodySize: number;
  readonly maxTokenSize: number;
  readonly logger: Logger;
  readonly clock: () => number;
  readonly upstream: readonly UpstreamMethod[];
  /** Days the audit log keeps an entry. */
  readonly logRetention: number;
  /** The management API's budget per client. */
  readonly managementRateLimit: Readonly<RateLimitSettings>;
  /** True when the issuer is plain-http localhost: cookies drop `Secure` and the `__Host-` prefix. */
  readonly insecureLocalhost: boolean;
}

/** The documented defaults, in seconds unless noted. */
export const serverDefaults = Object.freeze({
  signup: true,
  ttl: Object.freeze({
    accessToken: 600,
    idToken: 3600,
    refreshToken: 30 * 24 * 3600,
    authorizationCode: 60,
    interaction: 15 * 60,
    sessionIdle: 24 * 3600,
    sessionAbsolute: 7 * 24 * 3600,
  }),
  refreshGraceWindow: 10,
  throttle: Object.freeze({ perAccount: 5, perIp: 50, window: 15 * 60 }),
  maxBodySize: 64 * 1024,
  maxTokenSize: 8 * 1024,
  logRetention: 30,
  managementRateLimit: Object.freeze({ limit: 100, window: 10 }),
});

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function isLocalhost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer`);
  return value;
}

/** Merges options over the defaults, validates them and freezes the result. */
export function resolveServerConfig(options: ServerOptions): ServerConfig {
  if (!options || typeof options !== 'object') throw new TypeError('options must be an object');
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(options.issuer);
  } catch {
    throw new TypeError('issuer must be an absolute URL');
  }
  if (!options.issuer.endsWith('/')) throw new TypeError('issuer must end with "/"');
  if (issuerUrl.search || issuerUrl.hash) throw new TypeError('issuer must not have a query or fragment');
  const localhost = isLocalhost(issuerUrl.hostname);
  if (issuerUrl.protocol !== 'https:' && !(issuerUrl.protocol === 'http:' && localhost)) {
    throw new TypeError('issuer must use https (plain http is allowed for localhost only)');
  }
  if (!options.storage) throw new TypeError('storage is required');
  if (!options.sessionStore) throw new TypeError('sessionStore is required');
  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    throw new TypeError('secret must be a string of at least 32 characters');
  }
  const ttl = { ...serverDefaults.ttl, ...options.ttl };
  for (const [name, value] of Object.entries(ttl)) positiveInteger(value, `ttl.${name}`);
  const throttle = { ...serverDefaults.throttle, ...options.throttle };
  for (const [name, value] of Object.entries(throttle)) positiveInteger(value, `throttle.${name}`);
  const managementRateLimit = { ...serverDefaults.managementRateLimit, ...options.managementRateLimit };
  for (const [name, value] of Object.entries(managementRateLimit)) {
    positiveInteger(value, `managementRateLimit.${name}`);
  }
  const refreshGraceWindow = options.refreshGraceWindow ?? serverDefaults.refreshGraceWindow;
  if (!Number.isInteger(refreshGraceWindow) || refreshGraceWindow < 0 || refreshGraceWindow > 120) {
    throw new TypeError('refreshGraceWindow must be an integer between 0 and 120 seconds');
  }
  return Object.freeze({
    issuer: options.issuer,
    issuerUrl,
    userinfoAudience: `${options.issuer}userinfo`,
    storage: options.storage,
    sessionStore: options.sessionStore,
    secret: options.secret,
    signup: options.signup ?? serverDefaults.signup,
    ttl: Object.freeze(ttl),
    refreshGraceWindow,
    throttle: Object.freeze(throttle),
    maxBodySize: positiveInteger(options.maxBodySize ?? serverDefaults.maxBodySize, 'maxBodySize'),
    maxTokenSize: positiveInteger(options.maxTokenSize ?? serverDefaults.maxTokenSize, 'maxTokenSize'),
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? Date.now,
    upstream: checkUpstream(options.upstream ?? []),
    logRetention: checkLogRetention(options.logRetention ?? serverDefaults.logRetention),
    managementRateLimit: Object.freeze(managementRateLimit),
    insecureLocalhost: issuerUrl.protocol === 'http:',
  });
}

/** Whole days, 1 to 3650 (ten years). */
function checkLogRetention(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new TypeError('logRetention must be a whole number of days from 1 to 3650');
  }
  return days;
}

function checkUpstream(methods: readonly UpstreamMethod[]): readonly UpstreamMethod[] {
  if (!Array.isArray(methods)) throw new TypeError('upstream must be an array of upstream methods');
  const types = new Set<string>();
  for (const method of methods) {
    if (
      typeof method?.start !== 'function' ||
      typeof method.configure !== 'function' ||
      !Array.isArray(method.routes) ||
      !Array.isArray(method.types) ||
      !Array.isArray(method.strategies)
    ) {
      throw new TypeError('upstream: each method needs types, strategies, configure, start and routes');
    }
    for (const type of method.types) {
      if (type === 'database' || types.has(type)) throw new TypeError(`upstream: type "${type}" is taken`);
      types.add(type);
    }
  }
  return Object.freeze([...methods]);
}

/** Current time in epoch seconds from the configured clock. */
export function nowSeconds(config: Pick<ServerConfig, 'clock'>): number {
  return Math.floor(config.clock() / 1000);
}
