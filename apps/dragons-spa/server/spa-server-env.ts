import { fileURLToPath } from 'node:url';
import type { SpaSettings } from './create-spa-server.js';

/** What the Dragons app's server reads from the environment; only `main.ts` calls this. */
export interface SpaServerEnv {
  port: number;
  host: string;
  /** The directory of the production build (index.html, ngsw.json, hashed bundles). */
  root: string;
  settings: SpaSettings;
}

/** The scopes the app asks for: OIDC profile and email, and the Dragons API's two. */
export const defaultScope = 'openid profile email read:dragons read:orders';

/**
 * Reads `PORT` (4200), `HOST` (localhost), `WARDEN_ISSUER` (http://localhost:3000/),
 * `DRAGONS_API_URL` (http://localhost:3001/api/), `API_AUDIENCE` (http://localhost:3001/api/),
 * `DRAGONS_CLIENT_ID` (dragons-spa), `DRAGONS_SCOPE` and `SPA_ROOT` (the build in
 * apps/dragons-spa/dist/browser). Throws `TypeError` naming the variable that is wrong.
 */
export function readSpaServerEnv(env: NodeJS.ProcessEnv = process.env): SpaServerEnv {
  const port = Number(env.PORT || 4200);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('PORT must be a port number');
  return {
    port,
    host: env.HOST || 'localhost',
    // From server/main.ts and from the bundle in dist/ alike, ../dist/browser is the build.
    root: env.SPA_ROOT || fileURLToPath(new URL('../dist/browser/', import.meta.url)),
    settings: {
      issuer: url('WARDEN_ISSUER', env.WARDEN_ISSUER || 'http://localhost:3000/'),
      apiUrl: url('DRAGONS_API_URL', env.DRAGONS_API_URL || 'http://localhost:3001/api/'),
      audience: env.API_AUDIENCE || 'http://localhost:3001/api/',
      clientId: env.DRAGONS_CLIENT_ID || 'dragons-spa',
      scope: env.DRAGONS_SCOPE || defaultScope,
    },
  };
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
