/** What `createConnections` takes; every option has a default (see `connectionsDefaults`). */
export interface ConnectionsOptions {
  /**
   * The `fetch` every call to an upstream goes through (discovery, JWKS, token, userinfo, profile).
   * Default: the global `fetch`. Tests and egress proxies pass their own.
   */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds one upstream call may take, its answer read whole; slower is a 503 page. Default 10 000. */
  timeout?: number;
  /**
   * Epoch milliseconds: what upstream ID tokens (`exp`, `iat`, `auth_time`) are checked against and
   * what dates Apple's client secret. Default `Date.now`. Give the clock the upstream signs with:
   * real time for a real provider, the test's clock for an upstream that runs on it.
   */
  clock?: () => number;
  /**
   * Milliseconds a discovery document is reused by this process before it is fetched again
   * (signing keys follow their own rule: refetched after 5 minutes, or at once for an unknown
   * `kid`). 0 fetches it for every sign-in. Default 10 minutes.
   */
  discoveryTtl?: number;
  /**
   * Lets issuers and endpoints use plain http on localhost, 127.0.0.1 and [::1] (and nowhere else):
   * for a development upstream such as the demo's. Default false: https only.
   */
  allowInsecureLocalhost?: boolean;
}

/** The options merged over the defaults, checked and frozen. */
export interface ConnectionsConfig {
  readonly fetch: typeof globalThis.fetch;
  readonly timeout: number;
  readonly clock: () => number;
  readonly discoveryTtl: number;
  readonly allowInsecureLocalhost: boolean;
}

/** The documented defaults (milliseconds). */
export const connectionsDefaults = Object.freeze({
  timeout: 10_000,
  discoveryTtl: 10 * 60_000,
  allowInsecureLocalhost: false,
});

const OPTION_NAMES = new Set(['fetch', 'timeout', 'clock', 'discoveryTtl', 'allowInsecureLocalhost']);
const MAX_TIMEOUT = 10 * 60_000;
const MAX_TTL = 24 * 3600_000;

/** Merges `options` over `connectionsDefaults`, checks them (TypeError naming the option) and freezes the result. */
export function resolveConnectionsConfig(options: ConnectionsOptions = {}): ConnectionsConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('options must be an object');
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`unknown option "${name}"`);
  }
  const fetch = options.fetch ?? globalThis.fetch;
  if (typeof fetch !== 'function') throw new TypeError('fetch must be a function');
  const clock = options.clock ?? Date.now;
  if (typeof clock !== 'function')
    throw new TypeError('clock must be a function returning epoch milliseconds');
  const timeout = options.timeout ?? connectionsDefaults.timeout;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT) {
    throw new TypeError(`timeout must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT}`);
  }
  const discoveryTtl = options.discoveryTtl ?? connectionsDefaults.discoveryTtl;
  if (!Number.isInteger(discoveryTtl) || discoveryTtl < 0 || discoveryTtl > MAX_TTL) {
    throw new TypeError(`discoveryTtl must be a whole number of milliseconds from 0 to ${MAX_TTL}`);
  }
  const allowInsecureLocalhost = options.allowInsecureLocalhost ?? connectionsDefaults.allowInsecureLocalhost;
  if (typeof allowInsecureLocalhost !== 'boolean')
    throw new TypeError('allowInsecureLocalhost must be a boolean');
  return Object.freeze({ fetch, timeout, clock, discoveryTtl, allowInsecureLocalhost });
}
