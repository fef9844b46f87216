import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SpaSettings } from './create-spa-server.js';

/** How the app signs users in: tokens in the page (default), or a session cookie from this server. */
export type AuthMode = 'token' | 'cookie';

/** What the Dragons app's server reads from the environment; only `main.ts` calls this. */
export interface SpaServerEnv {
  port: number;
  host: string;
  /** The directory of the production build (index.html, ngsw.json, hashed bundles). */
  root: string;
  mode: AuthMode;
  /** Token mode: what `/config.json` tells the app. */
  settings: SpaSettings;
  /** Cookie mode only: the backend-for-frontend this server runs. */
  cookie: CookieModeEnv | undefined;
}

/** The backend-for-frontend's settings (cookie mode). */
export interface CookieModeEnv {
  issuer: string;
  /** The confidential client registered for `<appOrigin>/bff/callback`. */
  clientId: string;
  clientSecret: string;
  /** Seals the sign-in transaction cookie: at least 32 bytes. */
  secret: Uint8Array;
  /** This server's own origin, as the browser sees it. */
  appOrigin: string;
  audience: string;
  scope: string;
  /** Where `/api/*` is forwarded to. */
  apiUrl: string;
  /** Sessions in Redis when set, else in the SQLite file `sessionsFile`. */
  redisUrl: string | undefined;
  sessionsFile: string;
}

/** The scopes the app asks for: OIDC profile and email, and the Dragons API's two. */
export const defaultScope = 'openid profile email read:dragons read:orders';
/** Cookie mode asks for a refresh token too: the server renews the access token, not the page. */
export const defaultCookieScope = 'openid profile email offline_access read:dragons read:orders';

/**
 * Reads `PORT` (4200), `HOST` (localhost), `WARDEN_ISSUER` (http://localhost:3000/),
 * `DRAGONS_API_URL` (http://localhost:3001/api/), `API_AUDIENCE` (http://localhost:3001/api/),
 * `DRAGONS_CLIENT_ID` (dragons-spa), `DRAGONS_SCOPE`, `SPA_ROOT` (the build in
 * apps/dragons-spa/dist/browser) and `DRAGONS_AUTH_MODE` (`token` or `cookie`, default token).
 * Cookie mode also reads `DRAGONS_BFF_CLIENT_SECRET` and `DRAGONS_BFF_SECRET` (both required),
 * `DRAGONS_BFF_CLIENT_ID` (dragons-web), `DRAGONS_BFF_SCOPE`, `DRAGONS_APP_ORIGIN`
 * (http://localhost:$PORT), `REDIS_URL` and `WARDEN_DATA_DIR` (./data). Throws `TypeError` naming
 * the variable that is wrong.
 */
export function readSpaServerEnv(env: NodeJS.ProcessEnv = process.env): SpaServerEnv {
  const port = Number(env.PORT || 4200);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('PORT must be a port number');
  const host = env.HOST || 'localhost';
  const mode = readMode(env.DRAGONS_AUTH_MODE);
  const settings: SpaSettings = {
    issuer: url('WARDEN_ISSUER', env.WARDEN_ISSUER || 'http://localhost:3000/'),
    apiUrl: url('DRAGONS_API_URL', env.DRAGONS_API_URL || 'http://localhost:3001/api/'),
    audience: env.API_AUDIENCE || 'http://localhost:3001/api/',
    clientId: env.DRAGONS_CLIENT_ID || 'dragons-spa',
    scope: env.DRAGONS_SCOPE || defaultScope,
  };
  return {
    port,
    host,
    // From server/main.ts and from the bundle in dist/ alike, ../dist/browser is the build.
    root: env.SPA_ROOT || fileURLToPath(new URL('../dist/browser/', import.meta.url)),
    mode,
    settings,
    cookie: mode === 'cookie' ? readCookieMode(env, settings, port) : undefined,
  };
}

function readMode(value: string | undefined): AuthMode {
  if (value === undefined || value === '' || value === 'token') return 'token';
  if (value === 'cookie') return 'cookie';
  throw new TypeError(`DRAGONS_AUTH_MODE must be "token" or "cookie", got "${value}"`);
}

function readCookieMode(env: NodeJS.ProcessEnv, settings: SpaSettings, port: number): CookieModeEnv {
  const clientSecret = env.DRAGONS_BFF_CLIENT_SECRET;
  if (!clientSecret) {
    throw new TypeError('DRAGONS_BFF_CLIENT_SECRET is required in cookie mode (the secret of dragons-web)');
  }
  const appOrigin = url('DRAGONS_APP_ORIGIN', env.DRAGONS_APP_ORIGIN || `http://localhost:${port}`);
  if (new URL(appOrigin).origin !== appOrigin.replace(/\/$/, '')) {
    throw new TypeError(`DRAGONS_APP_ORIGIN must be an origin (scheme://host[:port]), got "${appOrigin}"`);
  }
  return {
    issuer: settings.issuer,
    clientId: env.DRAGONS_BFF_CLIENT_ID || 'dragons-web',
    clientSecret,
    secret: readSecret(env.DRAGONS_BFF_SECRET),
    appOrigin: new URL(appOrigin).origin,
    audience: settings.audience,
    scope: env.DRAGONS_BFF_SCOPE || defaultCookieScope,
    apiUrl: settings.apiUrl.endsWith('/') ? settings.apiUrl : `${settings.apiUrl}/`,
    redisUrl: env.REDIS_URL || undefined,
    sessionsFile: join(resolve(env.WARDEN_DATA_DIR || 'data'), 'dragons-sessions.db'),
  };
}

function readSecret(value: string | undefined): Uint8Array {
  const bytes = value && /^[A-Za-z0-9_-]+$/.test(value) ? Buffer.from(value, 'base64url') : undefined;
  if (!bytes || bytes.length < 32) {
    throw new TypeError(
      'DRAGONS_BFF_SECRET is required in cookie mode: at least 32 random bytes in base64url',
    );
  }
  return new Uint8Array(bytes);
}

function url(name: string, value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return value;
  } catch {
    // reported below
  }
  throw new TypeError(`${name} must be an absolute http(s) URL, got "${value}"`);
}
