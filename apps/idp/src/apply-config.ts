import { readFileSync } from 'node:fs';
import {
  type AddApiInput,
  type AddClientInput,
  type AddUserInput,
  type Admin,
  normalizeEmail,
} from '@warden/server';
import { parse as parseYaml } from 'yaml';

/** The registration file: APIs, roles, clients and users to create when missing. */
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
  users?: AddUserInput[];
}

/** Reads a JSON or YAML registration file. */
export function readConfigFile(path: string): WardenConfigFile {
  const text = readFileSync(path, 'utf8');
  const parsed: unknown = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TypeError(`${path}: expected an object with apis, roles, clients and users`);
  }
  return parsed as WardenConfigFile;
}

/**
 * Creates what the file declares and the database lacks; existing entries are left as they are,
 * so applying the same file at every start is safe. Returns the secrets it generated for the clients
 * it created (not those the file gives).
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
    });
    if (created.client_secret) secrets[created.client_id] = created.client_secret;
  }
  const users = await admin.listUsers();
  for (const user of config.users ?? []) {
    const email = normalizeEmail(String(user.email ?? '').trim());
    if (!users.some((existing) => existing.email === email)) await admin.addUser(user);
  }
  return secrets;
}
