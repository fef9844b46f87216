import type { WindowLike } from './window-like.js';

/** Where the token set is kept. See the README for what each choice exposes to XSS. */
export type CacheLocation = 'memory' | 'session' | 'local';

export interface ClientOptions {
  /** The idp's issuer identifier, exactly as its discovery document spells it (`http://localhost:3000/`). */
  issuer: string;
  /** This SPA's client_id at the idp (a public client: no secret). */
  clientId: string;
  /** The registered callback URL the idp sends the browser back to. */
  redirectUri: string;
  /** The API the access token is for (Auth0-style `audience`). Without it the token is for userinfo only. */
  audience?: string;
  /**
   * Space-separated scopes. Must include `openid`. `offline_access` is added when
   * `useRefreshTokens` is on and removed when it is off. Default `openid profile email offline_access`.
   */
  scope?: string;
  /** `memory` (default), `session` (sessionStorage) or `local` (localStorage, the article's choice). */
  cacheLocation?: CacheLocation;
  /** Ask for a refresh token and renew access tokens with it (rotated on every use). Default true. */
  useRefreshTokens?: boolean;
  /** Origins (`https://api.example.com`) whose requests through `client.fetch` carry the access token. */
  apiOrigins?: readonly string[];
  /** Where the idp sends the browser after logout; must be registered for the client. Default: redirectUri's origin + `/`. */
  postLogoutRedirectUri?: string;
  /** Let `start()` try a top-level `prompt=none` redirect when no tokens are at hand. Default true. */
  silentLogin?: boolean;
  /** Seconds before expiry at which an access token is renewed. Default 60. */
  refreshMargin?: number;
  /** Seconds of clock skew allowed when checking the id_token's `exp` and `iat`. Default 60. */
  leeway?: number;
  /** The fetch used for the idp and APIs. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** The browser: location, history, storages, BroadcastChannel, navigator.locks. Default: `window`. */
  window?: WindowLike;
  /** Now, in milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
}

/** The documented defaults of `createClient`. */
export const clientDefaults = Object.freeze({
  scope: 'openid profile email offline_access',
  cacheLocation: 'memory' as CacheLocation,
  useRefreshTokens: true,
  silentLogin: true,
  refreshMargin: 60,
  leeway: 60,
});

/** Options after defaults, checks and normalisation; frozen. */
export interface ClientConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly audience: string | undefined;
  readonly scope: string;
  readonly cacheLocation: CacheLocation;
  readonly useRefreshTokens: boolean;
  readonly apiOrigins: ReadonlySet<string>;
  readonly postLogoutRedirectUri: string;
  readonly silentLogin: boolean;
  readonly refreshMargin: number;
  readonly leeway: number;
  readonly fetch: typeof fetch;
  readonly window: WindowLike;
  readonly clock: () => number;
}

const CACHE_LOCATIONS: ReadonlySet<string> = new Set(['memory', 'session', 'local']);
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Merges `options` over `clientDefaults`, checks every option and freezes the result. Bad
 * options throw `TypeError` naming the option: URLs must be absolute and https (http only for
 * localhost), `scope` must include `openid`, each API origin must be a bare origin.
 */
export function resolveClientOptions(options: ClientOptions): ClientConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const issuer = checkUrl(options.issuer, 'issuer');
  const clientId = checkString(options.clientId, 'clientId');
  const redirectUri = checkUrl(options.redirectUri, 'redirectUri');
  const useRefreshTokens = checkBoolean(
    options.useRefreshTokens,
    'useRefreshTokens',
    clientDefaults.useRefreshTokens,
  );
  const cacheLocation = options.cacheLocation ?? clientDefaults.cacheLocation;
  if (!CACHE_LOCATIONS.has(cacheLocation)) {
    throw new TypeError('options.cacheLocation must be "memory", "session" or "local"');
  }
  return Object.freeze({
    issuer,
    clientId,
    redirectUri,
    audience: options.audience === undefined ? undefined : checkString(options.audience, 'audience'),
    scope: readScope(options.scope, useRefreshTokens),
    cacheLocation,
    useRefreshTokens,
    apiOrigins: readApiOrigins(options.apiOrigins),
    postLogoutRedirectUri:
      options.postLogoutRedirectUri === undefined
        ? `${new URL(redirectUri).origin}/`
        : checkUrl(options.postLogoutRedirectUri, 'postLogoutRedirectUri'),
    silentLogin: checkBoolean(options.silentLogin, 'silentLogin', clientDefaults.silentLogin),
    refreshMargin: checkSeconds(options.refreshMargin, 'refreshMargin', clientDefaults.refreshMargin),
    leeway: checkSeconds(options.leeway, 'leeway', clientDefaults.leeway),
    fetch: readFetch(options.fetch),
    window: readWindow(options.window),
    clock: readClock(options.clock),
  });
}

/** True for `https:` URLs and for `http:` on localhost, 127.0.0.1 or [::1]. */
export function isSecureUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

function checkString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`options.${name} must be a non-empty string`);
  return value;
}

function checkUrl(value: unknown, name: string): string {
  const text = checkString(value, name);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`options.${name} must be an absolute URL`);
  }
  if (!isSecureUrl(url)) throw new TypeError(`options.${name} must use https (http only for localhost)`);
  if (url.hash !== '') throw new TypeError(`options.${name} must not have a fragment`);
  return text;
}

function checkBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`options.${name} must be a boolean`);
  return value;
}

function checkSeconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`options.${name} must be a non-negative number of seconds`);
  }
  return value;
}

function readScope(value: unknown, useRefreshTokens: boolean): string {
  const text = value === undefined ? clientDefaults.scope : checkString(value, 'scope');
  const scopes = new Set(text.split(' ').filter(Boolean));
  if (!scopes.has('openid')) throw new TypeError('options.scope must include "openid"');
  if (useRefreshTokens) scopes.add('offline_access');
  else scopes.delete('offline_access');
  return [...scopes].join(' ');
}

function readApiOrigins(value: unknown): ReadonlySet<string> {
  if (value === undefined) return new Set();
  if (!Array.isArray(value)) throw new TypeError('options.apiOrigins must be an array of origins');
  const origins = new Set<string>();
  for (const entry of value) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (typeof entry !== 'string' || !url || url.origin !== entry.replace(/\/$/, '')) {
      throw new TypeError(`options.apiOrigins: "${String(entry)}" is not an origin (scheme://host[:port])`);
    }
    if (!isSecureUrl(url))
      throw new TypeError(`options.apiOrigins: "${entry}" must use https (http only for localhost)`);
    origins.add(url.origin);
  }
  return origins;
}

function readFetch(value: unknown): typeof fetch {
  if (value === undefined) return (input, init) => globalThis.fetch(input, init);
  if (typeof value !== 'function') throw new TypeError('options.fetch must be a function');
  const custom = value as typeof fetch;
  return (input, init) => custom(input, init);
}

function readWindow(value: unknown): WindowLike {
  const win = value ?? (globalThis as { window?: unknown }).window;
  if (typeof win !== 'object' || win === null) {
    throw new TypeError('options.window is required outside a browser');
  }
  return win as WindowLike;
}

function readClock(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') throw new TypeError('options.clock must be a function');
  return value as () => number;
}
