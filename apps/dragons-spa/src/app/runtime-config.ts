import { InjectionToken } from '@angular/core';

/**
 * What the app server says in /config.json: the settings that differ per deployment, and how
 * users sign in.
 */
export type RuntimeConfig = TokenModeConfig | CookieModeConfig;

/** Token mode: the page signs in at the idp and calls the API with the access token. */
export interface TokenModeConfig {
  mode: 'token';
  /** The idp's issuer, exactly as its discovery document spells it. */
  issuer: string;
  clientId: string;
  /** The API the access token is for (an identifier, not necessarily where the API answers). */
  audience: string;
  /** Where the Dragons API answers, ending in `/` (`http://localhost:3001/api/`). */
  apiUrl: string;
  scope: string;
}

/** Cookie mode: the app's own server signs in and forwards the API; the page holds no token. */
export interface CookieModeConfig {
  mode: 'cookie';
  /** The API's path on this origin, ending in `/` (`/api/`). */
  apiUrl: string;
}

export const RUNTIME_CONFIG = new InjectionToken<RuntimeConfig>('RUNTIME_CONFIG');

const TOKEN_FIELDS = ['issuer', 'clientId', 'audience', 'apiUrl', 'scope'] as const;

/** Fetches and checks /config.json; rejects with an error naming what is missing. */
export async function loadRuntimeConfig(url = 'config.json'): Promise<RuntimeConfig> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    throw new Error('The app settings (config.json) cannot be loaded: the server is not reachable.');
  }
  if (!response.ok) throw new Error(`The app settings (config.json) answered ${response.status}.`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null) throw new Error('config.json is not a JSON object.');
  const settings = body as Record<string, unknown>;
  const mode = settings.mode ?? 'token';
  if (mode === 'cookie') {
    if (typeof settings.apiUrl !== 'string' || !settings.apiUrl.startsWith('/')) {
      throw new Error('config.json has no "apiUrl" path for cookie mode.');
    }
    return { mode, apiUrl: withSlash(settings.apiUrl) };
  }
  if (mode !== 'token') throw new Error(`config.json names an unknown mode "${String(mode)}".`);
  for (const field of TOKEN_FIELDS) {
    if (typeof settings[field] !== 'string' || settings[field] === '') {
      throw new Error(`config.json has no "${field}".`);
    }
  }
  const config = settings as unknown as TokenModeConfig;
  return { ...config, mode, apiUrl: withSlash(config.apiUrl) };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
