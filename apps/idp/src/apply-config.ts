import { readFileSync } from 'node:fs';
import {
  type AddApiInput,
  type AddClientInput,
  type AddUserInput,
  type Admin,
  AdminError,
  normalizeEmail,
  type UpstreamSettings,
} from '@warden/server';
import { parse as parseYaml } from 'yaml';
import { connectionSettings } from './connection-settings.js';

/**
 * A connection in the registration file. The keys every type shares are spelled out; the rest of
 * the type's settings (an `oauth2` connection's endpoints and profile mapping, a preset's `tenant`…)
 * go under `settings`, named as `--setting` names them.
 */
export interface ConnectionEntry {
  name: string;
  /** `oidc`, `oauth2` or a preset: `google`, `github`, `facebook`, `microsoft`, `apple`, `x`, `gitlab`, `discord`. */
  type: string;
  display_name?: string;
  client_id?: string;
  /** The client secret at the upstream: stored sealed, never printed back. */
  client_secret?: string;
  issuer?: string;
  scopes?: string[];
  trust_email?: boolean;
  store_tokens?: boolean;
  /** Clients that offer the connection; they may be created by the same file. */
  enabled_clients?: string[];
  settings?: UpstreamSettings;
}

/** The registration file: APIs, roles, clients, connections and users to create when missing. */
export interface WardenConfigFile {
  apis?: AddApiInput[];
  roles?: { name: string; description?: string; permissions?: { api: string; permission: string }[] }[];
  clients?: (Omit<AddClientInput, 'clientId' | 'logoutUrls' | 'thirdParty' | 'legacyImplicit' | 'secret'> & {
    client_id?: string;
    /** A confidential client's secret, given rather than generated (never printed back). */
    client_secret?: string;
    logout_urls?: string[];
    third_party?: boolean;
    legacy_implicit?: boolean;
  })[];
  connections?: ConnectionEntry[];
  users?: AddUserInput[];
}

/** Reads a JSON or YAML registration file. */
export function readConfigFile(path: string): WardenConfigFile {
  const text = readFileSync(path, 'utf8');
  const parsed: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError(`${path}: expected an object with apis, roles, clients, connections and users`);
  }
  return parsed as WardenConfigFile;
}

/**
 * Creates what the file declares and the database lacks; existing entries are left as they are,
 * so applying the same file at every start is safe. Connections come after the clients, so their
 * `enabled_clients` may name clients of the same file; a client created now is also enabled on a
 * connection that already existed, when the connection's entry names it. Returns the secrets it
 * generated for the clients it created (not those the file gives).
 */
export async function applyConfig(admin: Admin, config: WardenConfigFile): Promise<Record<string, string>> {
  const secrets: Record<string, string> = {};
  const apis = new Set((await admin.listApis()).map((api) => api.identifier));
  for (const api of config.apis ?? []) if (!apis.has(api.identifier)) await admin.addApi(api);
  const roles = new Set((await admin.listRoles()).map((role) => role.name));
  for (const role of config.roles ?? []) {
    if (!roles.has(role.name)) await admin.addRole(role.name, role.description ?? '', role.permissions ?? []);
  }
  const clients = new Set((await admin.listClients()).map((client) => client.clientId));
  const createdClients = new Set<string>();
  for (const client of config.clients ?? []) {
    if (client.client_id && clients.has(client.client_id)) continue;
    const created = await admin.addClient({
      type: client.type,
      name: client.name,
      ...(client.client_id ? { clientId: client.client_id } : {}),
      ...(client.client_secret ? { secret: client.client_secret } : {}),
      callbacks: client.callbacks ?? [],
      origins: client.origins ?? [],
      logoutUrls: client.logout_urls ?? [],
      apis: client.apis ?? [],
      thirdParty: client.third_party ?? false,
      legacyImplicit: client.legacy_implicit ?? false,
      ...(client.connections ? { connections: client.connections } : {}),
    });
    createdClients.add(created.client_id);
    if (created.client_secret) secrets[created.client_id] = created.client_secret;
  }
  const connections = new Set((await admin.listConnections()).map((connection) => connection.name));
  for (const [index, entry] of (config.connections ?? []).entries()) {
    const input = connectionInput(entry, index);
    if (!connections.has(input.name)) {
      await admin.addConnection(input);
      continue;
    }
    for (const clientId of input.enabledClients) {
      if (createdClients.has(clientId)) await admin.enableConnection(input.name, clientId);
    }
  }
  const users = await admin.listUsers();
  for (const user of config.users ?? []) {
    const email = normalizeEmail(String(user.email ?? '').trim());
    if (!users.some((existing) => existing.email === email)) await admin.addUser(user);
  }
  return secrets;
}

const connectionKeys = new Set([
  'name',
  'type',
  'display_name',
  'client_id',
  'client_secret',
  'issuer',
  'scopes',
  'trust_email',
  'store_tokens',
  'enabled_clients',
  'settings',
]);

/** A file's connection entry as `Admin.addConnection` takes it; unknown keys are refused by name. */
function connectionInput(entry: ConnectionEntry, index: number) {
  const where = `connections[${index}]`;
  if (!entry || typeof entry !== 'object') throw new AdminError(`${where}: expected an object`);
  const unknown = Object.keys(entry).filter((key) => !connectionKeys.has(key));
  if (unknown.length > 0) {
    throw new AdminError(
      `${where}: unknown key ${unknown.join(', ')} (a type's other settings go under settings)`,
    );
  }
  if (typeof entry.name !== 'string') throw new AdminError(`${where}: name is required`);
  if (typeof entry.type !== 'string') throw new AdminError(`${where} (${entry.name}): type is required`);
  if (entry.enabled_clients !== undefined && !Array.isArray(entry.enabled_clients)) {
    throw new AdminError(`${where} (${entry.name}): enabled_clients must be a list of client ids`);
  }
  if (entry.settings !== undefined && (typeof entry.settings !== 'object' || Array.isArray(entry.settings))) {
    throw new AdminError(`${where} (${entry.name}): settings must be a map of setting names to values`);
  }
  return {
    name: entry.name,
    type: entry.type,
    ...(entry.display_name !== undefined && { displayName: entry.display_name }),
    ...(entry.client_secret !== undefined && { clientSecret: entry.client_secret }),
    trustEmail: entry.trust_email === true,
    storeTokens: entry.store_tokens === true,
    enabledClients: entry.enabled_clients ?? [],
    settings: connectionSettings(
      { issuer: entry.issuer, clientId: entry.client_id, scopes: entry.scopes },
      entry.settings ?? {},
    ),
  };
}
