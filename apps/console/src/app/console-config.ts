import { InjectionToken } from '@angular/core';

/** What the idp says in `/console/config.json`: where the console signs in and what it asks for. */
export interface ConsoleConfig {
  /** The idp's issuer, exactly as its discovery document spells it; the console lives at `<issuer>console/`. */
  issuer: string;
  /** The console's built-in client (`warden-console`). */
  clientId: string;
  /** The management API's identifier (`<issuer>api/v2/`), also where it answers. */
  audience: string;
  scope: string;
}

export const CONSOLE_CONFIG = new InjectionToken<ConsoleConfig>('CONSOLE_CONFIG');

const FIELDS = ['issuer', 'clientId', 'audience', 'scope'] as const;

/** Fetches and checks `config.json` (next to the page); rejects with an error naming what is wrong. */
export async function loadConsoleConfig(url = 'config.json'): Promise<ConsoleConfig> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    throw new Error('The console settings (config.json) cannot be loaded: the idp is not reachable.');
  }
  if (!response.ok) throw new Error(`The console settings (config.json) answered ${response.status}.`);
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null) throw new Error('config.json is not a JSON object.');
  const settings = body as Record<string, unknown>;
  for (const field of FIELDS) {
    if (typeof settings[field] !== 'string' || settings[field] === '') {
      throw new Error(`config.json has no "${field}".`);
    }
  }
  return settings as unknown as ConsoleConfig;
}

/** Where the console lives: `<issuer>console/`. */
export function consoleHome(config: ConsoleConfig): string {
  return `${config.issuer}console/`;
}
