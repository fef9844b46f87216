import type { SessionManager } from '@warden/session';

/** One API the backend-for-frontend forwards to, with the signed-in user's access token. */
export interface BffApi {
  /** Path on the app's origin, e.g. `/api/`: requests under it are forwarded. Starts and ends with `/`. */
  prefix: string;
  /** Absolute URL the prefix maps to, e.g. `http://localhost:3001/api/`. Ends with `/`. */
  target: string;
}

export interface BffOptions {
  /** The authorization server's issuer identifier, e.g. `http://localhost:3000/`. */
  issuer: string;
  /** A confidential (`web`) client registered at the issuer. */
  clientId: string;
  clientSecret: string;
  /**
   * The app's own origin, e.g. `http://localhost:4200`: the redirect URI is
   * `<appOrigin><basePath>/callback`, and unsafe requests must come from this origin.
   */
  appOrigin: string;
  /** Where the BFF routes live (default `/bff`). */
  basePath?: string;
  /** Scopes to ask for (default `openid profile email offline_access`). */
  scope?: string;
  /** The API the access token is for (`audience`), when there is one. */
  audience?: string;
  /** APIs to forward to (default none). */
  apis?: readonly BffApi[];
  /**
   * Keeps the user's tokens server-side. Give it its own cookie name (the idp may share the host).
   * The BFF reads time from this manager's clock (`createSessionManager({ clock })`): one clock
   * decides when a session ends and when its tokens are refreshed.
   */
  sessions: SessionManager;
  /** At least 32 random bytes; seals the short-lived sign-in transaction cookie. */
  secret: Uint8Array;
  /** Seconds before expiry at which an access token is refreshed (default 60). */
  refreshSkew?: number;
  /** Seconds a sign-in may take between `/login` and `/callback` (default 600). */
  loginTimeout?: number;
  /** Marks the transaction cookie `Secure` (default true; plain-http development off localhost only). */
  secure?: boolean;
  /** Used for every call to the idp and the APIs. Default the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Receives what went wrong behind a 5xx, for logs. Default: nothing. */
  onError?: (error: unknown) => void;
}

/** The documented defaults. */
export const bffDefaults = Object.freeze({
  basePath: '/bff',
  scope: 'openid profile email offline_access',
  refreshSkew: 60,
  loginTimeout: 600,
  secure: true,
});

export interface BffConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly appOrigin: string;
  readonly basePath: string;
  readonly redirectUri: string;
  readonly scope: string;
  readonly audience: string | undefined;
  readonly apis: readonly BffApi[];
  readonly refreshSkew: number;
  readonly loginTimeout: number;
  readonly secure: boolean;
}

/** Merges the defaults, validates (TypeError naming the option) and freezes. */
export function resolveBffConfig(options: BffOptions): BffConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('options: must be an object');
  const issuer = absoluteUrl(options.issuer, 'issuer');
  nonEmpty(options.clientId, 'clientId');
  nonEmpty(options.clientSecret, 'clientSecret');
  const appOrigin = absoluteUrl(options.appOrigin, 'appOrigin');
  if (new URL(appOrigin).origin !== appOrigin) throw new TypeError('appOrigin: must be an origin (no path)');
  const basePath = options.basePath ?? bffDefaults.basePath;
  if (!/^\/[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(basePath)) {
    throw new TypeError('basePath: must be a path such as /bff (no trailing slash)');
  }
  const scope = options.scope ?? bffDefaults.scope;
  if (typeof scope !== 'string' || !scope.split(' ').includes('openid')) {
    throw new TypeError('scope: must be a string including openid');
  }
  if (options.audience !== undefined) nonEmpty(options.audience, 'audience');
  const apis = (options.apis ?? []).map((api, index) => {
    const name = `apis[${index}]`;
    if (typeof api?.prefix !== 'string' || !/^\/([^/?#]+\/)*$/.test(api.prefix) || api.prefix === '/') {
      throw new TypeError(`${name}.prefix: must be a path that starts and ends with /, such as /api/`);
    }
    if (api.prefix.startsWith(`${basePath}/`))
      throw new TypeError(`${name}.prefix: must not be under basePath`);
    const target = absoluteUrl(api.target, `${name}.target`);
    if (!target.endsWith('/')) throw new TypeError(`${name}.target: must end with /`);
    return Object.freeze({ prefix: api.prefix, target });
  });
  if (typeof options.sessions?.load !== 'function') throw new TypeError('sessions: must be a SessionManager');
  if (!(options.secret instanceof Uint8Array) || options.secret.length < 32) {
    throw new TypeError('secret: must be at least 32 random bytes');
  }
  const refreshSkew = seconds(options.refreshSkew ?? bffDefaults.refreshSkew, 'refreshSkew');
  const loginTimeout = seconds(options.loginTimeout ?? bffDefaults.loginTimeout, 'loginTimeout');
  const secure = options.secure ?? bffDefaults.secure;
  if (typeof secure !== 'boolean') throw new TypeError('secure: must be a boolean');
  return Object.freeze({
    issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    appOrigin,
    basePath,
    redirectUri: `${appOrigin}${basePath}/callback`,
    scope,
    audience: options.audience,
    apis: Object.freeze(apis),
    refreshSkew,
    loginTimeout,
    secure,
  });
}

function absoluteUrl(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new TypeError(`${name}: must be an absolute URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name}: must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new TypeError(`${name}: must use https (http only for localhost)`);
  }
  return value;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function nonEmpty(value: unknown, name: string): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name}: must be a non-empty string`);
}

function seconds(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name}: must be a number of seconds`);
  }
  return value;
}
