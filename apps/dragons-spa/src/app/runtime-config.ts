import { InjectionToken } from '@angular/core';

/** What the app server says in /config.json: the settings that differ per deployment. */
export interface RuntimeConfig {
  /** The idp's issuer, exactly as its discovery document spells it. */
  issuer: string;
  clientId: string;
  /** The API the access token is for (an identifier, not necessarily where the API answers). */
  audience: string;
  /** Where the Dragons API answers, ending in `/` (`http://localhost:3001/api/`). */
  apiUrl: string;
  scope: string;
}

export const RUNTIME_CONFIG = new InjectionToken<RuntimeConfig>('RUNTIME_CONFIG');

const FIELDS = ['issuer', 'clientId', 'audience', 'apiUrl', 'scope'] as const;

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
  for (const field of FIELDS) {
    if (typeof settings[field] !== 'string' || settings[field] === '') {
      throw new Error(`config.json has no "${field}".`);
    }
  }
  const config = settings as unknown as RuntimeConfig;
  return { ...config, apiUrl: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/` };
}
