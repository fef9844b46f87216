import type { z } from '@hono/zod-openapi';
import { type AddConnectionInput, type ConnectionView, DATABASE_CONNECTION } from '@warden/server';
import { bodyError } from '../http/validation-error.js';
import type { Connection, CreateConnectionBody, UpdateConnectionBody } from './connection-schemas.js';

/** Auth0's strategy names where Warden's connection type is spelled otherwise. */
const AUTH0_STRATEGIES: Readonly<Record<string, string>> = Object.freeze({
  'google-oauth2': 'google',
  windowslive: 'microsoft',
  twitter: 'x',
});

/** Auth0's strategy of the password database. */
export const DATABASE_STRATEGY = 'auth0';

/** `clientId` → `client_id`. */
function snake(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `client_id` → `clientId`. */
function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** A connection in Auth0's shape: options in snake_case, `scope` as text, never a secret. */
export function toAuth0Connection(connection: ConnectionView): z.infer<typeof Connection> {
  const options: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(connection.options)) {
    if (name === 'scopes' && Array.isArray(value)) options.scope = value.join(' ');
    else options[snake(name)] = value;
  }
  return {
    id: connection.name,
    name: connection.name,
    display_name: connection.displayName,
    strategy:
      connection.strategy === 'database' ? DATABASE_STRATEGY : (connection.preset ?? connection.strategy),
    options,
    enabled_clients: connection.enabledClients,
    is_domain_connection: false,
    realms: [connection.name],
  };
}

/** `POST /connections` as the domain's `AddConnectionInput`; the connection's method checks the settings. */
export function connectionInput(body: CreateConnectionBody): AddConnectionInput {
  if (body.strategy === DATABASE_STRATEGY) {
    throw bodyError(
      'strategy',
      `Warden has one password database, ${DATABASE_CONNECTION}: enable it for clients instead of adding another`,
    );
  }
  checkRealms(body.realms, body.name);
  return {
    name: body.name,
    type: AUTH0_STRATEGIES[body.strategy] ?? body.strategy,
    ...(body.display_name === undefined ? {} : { displayName: body.display_name }),
    ...(body.enabled_clients === undefined ? {} : { enabledClients: body.enabled_clients }),
    ...optionsInput(body.options ?? {}),
  };
}

/** `PATCH /connections/{id}` as the domain's changes (what is not given stays). */
export function connectionChanges(
  body: UpdateConnectionBody,
  name: string,
): Omit<AddConnectionInput, 'name' | 'type'> {
  checkRealms(body.realms, name);
  return {
    ...(body.display_name === undefined ? {} : { displayName: body.display_name }),
    ...(body.enabled_clients === undefined ? {} : { enabledClients: body.enabled_clients }),
    ...(body.options === undefined ? {} : optionsInput(body.options)),
  };
}

function checkRealms(realms: string[] | undefined, name: string): void {
  if (realms !== undefined && (realms.length !== 1 || realms[0] !== name))
    throw bodyError('realms', `a connection is its own realm: only ["${name}"]`);
}

/**
 * `options` as the domain takes them: `client_secret`, `trust_email` and `store_tokens` on their
 * own, the rest as the method's settings (`client_id` → `clientId`, `scope` → `scopes`).
 */
function optionsInput(options: Record<string, unknown>): Omit<AddConnectionInput, 'name' | 'type'> {
  const settings: Record<string, unknown> = {};
  const input: Omit<AddConnectionInput, 'name' | 'type'> = {};
  for (const [name, value] of Object.entries(options)) {
    if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(name))
      throw bodyError(`options.${name}`, 'option names are snake_case, e.g. client_id');
    if (name === 'client_secret') input.clientSecret = value as string;
    else if (name === 'trust_email') input.trustEmail = flag(name, value);
    else if (name === 'store_tokens') input.storeTokens = flag(name, value);
    else if (name === 'scope') settings.scopes = value;
    else settings[camel(name)] = value;
  }
  if (Object.keys(settings).length > 0) input.settings = settings;
  return input;
}

function flag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw bodyError(`options.${name}`, 'must be true or false');
  return value;
}
