import { importKey } from '@warden/protocol';
import { ACCOUNT_CLIENT_ID } from '../account/account-client.js';
import { generateClientSecret, hashClientSecret } from '../client-secret.js';
import { nowSeconds } from '../config.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import { newId } from '../ids.js';
import { checkPasswordPolicy, hashPassword } from '../password.js';
import type { ServerContext } from '../server-context.js';
import { AdminError } from './admin-error.js';
import {
  type AddConnectionInput,
  addConnection,
  type ConnectionView,
  connectionTypes,
  listConnections,
  removeConnection,
  setConnectionEnabled,
  updateConnection,
} from './connections-admin.js';

export type { AddConnectionInput, ConnectionView };
export { AdminError };

/**
 * Who an administration change is made by: the `warden` CLI (or a registration file) on the
 * database's machine, a client of the management API (an M2M client, or the console for a signed-in
 * administrator), or the server itself (demo data, first start).
 */
export interface AdminActor {
  kind: 'cli' | 'management' | 'system';
  /** The management API client that made the change. */
  clientId?: string;
  /** The signed-in administrator behind it (the console), or the CLI's OS user. */
  userId?: string;
  ip?: string;
  userAgent?: string;
}

/** A user as administrators see them (`warden users list`). */
export type UserView = Omit<User, 'passwordHash'> & {
  hasPassword: boolean;
  roles: string[];
  identities: {
    connection: string;
    provider: string;
    user_id: string;
    profileData: Record<string, unknown>;
  }[];
};

import { endEverySession } from '../sso/end-sessions.js';
import type { Api, Client, ClientType, EncryptionSettings, SigningAlg, User } from '../storage/storage.js';
import { checkEmailAddress } from '../users/check-email-address.js';
import { checkUsername } from '../users/check-username.js';

export interface AddClientInput {
  type: ClientType;
  name: string;
  callbacks?: string[];
  origins?: string[];
  logoutUrls?: string[];
  apis?: string[];
  thirdParty?: boolean;
  legacyImplicit?: boolean;
  /** A fixed client_id (demo data, config files); generated when absent. */
  clientId?: string;
  /**
   * Connections the client offers (default: the password database, `Username-Password-Authentication`).
   */
  connections?: string[];
  /**
   * A given secret for a confidential client (config files, a deployment that hands the same
   * secret to the client app): at least 43 URL-safe characters, e.g. 32 random bytes in
   * base64url. Generated (and returned once) when absent. Stored only as a hash.
   */
  secret?: string;
}

export interface AddApiInput {
  identifier: string;
  name?: string;
  alg?: SigningAlg;
  rbac?: boolean;
  scopes?: string[];
  accessTokenTtl?: number;
  encryption?: EncryptionSettings | null;
}

export interface AddUserInput {
  email: string;
  password: string;
  name?: string;
  username?: string;
  roles?: string[];
  emailVerified?: boolean;
}

const signingAlgs: readonly SigningAlg[] = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const clientTypes: readonly ClientType[] = ['spa', 'web', 'm2m', 'native'];

function checkUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AdminError(`${what} must be an absolute URL: ${value}`);
  }
  if (url.hash) throw new AdminError(`${what} must not contain a fragment: ${value}`);
  return value;
}

function checkOrigin(value: string): string {
  const url = new URL(checkUrl(value, 'origin'));
  if (url.origin !== value.replace(/\/$/, ''))
    throw new AdminError(`an origin is scheme://host[:port] only: ${value}`);
  return url.origin;
}

/** The API's encryption key must import as a public key of the algorithm it names. */
async function checkEncryptionKey(settings: EncryptionSettings): Promise<void> {
  if (settings.alg !== 'RSA-OAEP-256' && settings.alg !== 'ECDH-ES') {
    throw new AdminError('encryption.alg must be RSA-OAEP-256 or ECDH-ES');
  }
  try {
    const key = await importKey({ ...settings.publicJwk, alg: settings.alg });
    if (key.isPrivate) throw new AdminError('give the public encryption key only');
  } catch (error) {
    if (error instanceof AdminError) throw error;
    throw new AdminError(`the encryption key is not usable: ${(error as Error).message}`);
  }
}

/**
 * Registration and account administration: clients, APIs, users, roles, keys. Used by the
 * `warden` CLI and the config file loader; every change is visible to running servers at once
 * (they read the registry from the database).
 */
export class Admin {
  readonly #ctx: ServerContext;
  /** Who makes the changes, for the audit log. */
  readonly actor: AdminActor;

  constructor(ctx: ServerContext, actor: AdminActor = { kind: 'cli' }) {
    this.#ctx = ctx;
    this.actor = Object.freeze({ ...actor });
  }

  async addClient(input: AddClientInput): Promise<{ client_id: string; client_secret?: string }> {
    if (!clientTypes.includes(input.type))
      throw new AdminError(`--type must be one of ${clientTypes.join(', ')}`);
    if (!input.name?.trim()) throw new AdminError('--name is required');
    const callbacks = (input.callbacks ?? []).map((url) => checkUrl(url, 'callback'));
    if (input.type !== 'm2m' && callbacks.length === 0)
      throw new AdminError('at least one --callback is required');
    const apis = input.apis ?? [];
    for (const identifier of apis) {
      if (!(await this.#ctx.storage.apis.get(identifier))) throw new AdminError(`unknown API: ${identifier}`);
    }
    const confidential = input.type === 'web' || input.type === 'm2m';
    if (input.secret !== undefined) {
      if (!confidential) throw new AdminError(`a ${input.type} client is public: it has no secret`);
      if (!/^[A-Za-z0-9._~-]{43,512}$/.test(input.secret))
        throw new AdminError(
          'a client secret must be 43 to 512 URL-safe characters (e.g. 32 random bytes, base64url)',
        );
    }
    const secret = confidential ? (input.secret ?? generateClientSecret()) : undefined;
    const clientId = input.clientId ?? newId().slice(0, 32);
    if (clientId === ACCOUNT_CLIENT_ID)
      throw new AdminError(`client id ${clientId} is reserved for the account page`);
    if (await this.#ctx.storage.clients.get(clientId))
      throw new AdminError(`client ${clientId} already exists`);
    const client: Client = {
      clientId,
      name: input.name.trim(),
      type: input.type,
      secretHash: secret ? hashClientSecret(secret) : null,
      redirectUris: callbacks,
      allowedOrigins: (input.origins ?? []).map(checkOrigin),
      postLogoutRedirectUris: (input.logoutUrls ?? []).map((url) => checkUrl(url, 'logout URL')),
      apis,
      thirdParty: input.thirdParty ?? false,
      legacyImplicit: input.legacyImplicit ?? false,
      createdAt: nowSeconds(this.#ctx.config),
    };
    const connections = input.connections ?? [DATABASE_CONNECTION];
    for (const name of connections) {
      if (!(await this.#ctx.storage.connections.get(name)))
        throw new AdminError(`unknown connection: ${name}`);
    }
    await this.#ctx.storage.clients.insert(client);
    for (const name of connections) await this.#ctx.storage.connections.enable(name, clientId);
    this.#ctx.registry.invalidate();
    if (!secret || input.secret !== undefined) return { client_id: clientId };
    return { client_id: clientId, client_secret: secret };
  }

  async listClients(): Promise<Omit<Client, 'secretHash'>[]> {
    return (await this.#ctx.storage.clients.list()).map(({ secretHash: _hash, ...client }) => client);
  }

  async addApi(input: AddApiInput): Promise<Api> {
    checkUrl(input.identifier, '--identifier');
    const alg = input.alg ?? 'RS256';
    if (!signingAlgs.includes(alg)) throw new AdminError(`--alg must be one of ${signingAlgs.join(', ')}`);
    if (await this.#ctx.storage.apis.get(input.identifier)) {
      throw new AdminError(`API ${input.identifier} already exists`);
    }
    for (const scope of input.scopes ?? []) {
      if (!/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(scope)) throw new AdminError(`invalid scope: ${scope}`);
    }
    if (input.encryption) await checkEncryptionKey(input.encryption);
    const api: Api = {
      identifier: input.identifier,
      name: input.name ?? input.identifier,
      signingAlg: alg,
      rbac: input.rbac ?? false,
      scopes: input.scopes ?? [],
      accessTokenTtl: input.accessTokenTtl ?? this.#ctx.config.ttl.accessToken,
      encryption: input.encryption ?? null,
      createdAt: nowSeconds(this.#ctx.config),
    };
    await this.#ctx.storage.apis.insert(api);
    this.#ctx.registry.invalidate();
    await this.#ctx.keys.ensure([alg]);
    return api;
  }

  listApis(): Promise<Api[]> {
    return this.#ctx.storage.apis.list();
  }

  /**
   * Creates a user. The email must pass `checkEmailAddress` and the username `checkUsername`
   * (an `AdminError` naming the option says why not); both are stored in canonical form, and the
   * username as typed becomes the nickname. Refuses an email or username that is taken in any
   * letter case or composition.
   */
  async addUser(input: AddUserInput): Promise<{ user_id: string }> {
    const address = checkEmailAddress(typeof input.email === 'string' ? input.email : '');
    if (!address.ok) throw new AdminError(`--email: ${address.problem}`);
    const { email } = address;
    const username = input.username == null ? undefined : checkUsername(String(input.username));
    if (username && !username.ok) throw new AdminError(`--username: ${username.problem}`);
    const policy = checkPasswordPolicy(input.password ?? '');
    if (policy) throw new AdminError(policy);
    if (await this.#ctx.storage.users.findByLogin(email))
      throw new AdminError(`a user with email ${email} exists`);
    if (username && (await this.#ctx.storage.users.findByLogin(username.username))) {
      throw new AdminError(`username ${username.display} is taken`);
    }
    for (const role of input.roles ?? []) {
      if (!(await this.#ctx.storage.roles.get(role)))
        await this.#ctx.storage.roles.upsert({ name: role, description: '', permissions: [] });
    }
    const now = nowSeconds(this.#ctx.config);
    const user: User = {
      id: newId('user'),
      email,
      username: username ? username.username : null,
      passwordHash: await hashPassword(input.password),
      name: input.name ?? null,
      nickname: username ? username.display : (email.split('@')[0] ?? null),
      picture: null,
      givenName: null,
      familyName: null,
      locale: null,
      emailVerified: input.emailVerified ?? false,
      createdAt: now,
      updatedAt: now,
    };
    await this.#ctx.storage.users.insert(user);
    for (const role of input.roles ?? []) await this.#ctx.storage.roles.assign(user.id, role);
    return { user_id: user.id };
  }

  /**
   * Every user with their roles, whether they have a password, and their upstream `identities`
   * (connection, provider, the upstream's id, the profile it last sent); never a password hash or
   * upstream tokens.
   */
  async listUsers(): Promise<UserView[]> {
    const users = await this.#ctx.storage.users.list();
    return Promise.all(
      users.map(async ({ passwordHash, ...user }) => ({
        ...user,
        hasPassword: passwordHash !== null,
        roles: (await this.#ctx.storage.roles.forUser(user.id)).map((role) => role.name),
        identities: (await this.#ctx.storage.identities.forUser(user.id)).map((identity) => ({
          connection: identity.connection,
          provider: identity.provider,
          user_id: identity.upstreamId,
          profileData: identity.profileData,
        })),
      })),
    );
  }

  async setPassword(login: string, password: string): Promise<{ user_id: string }> {
    const user = await this.#user(login);
    const policy = checkPasswordPolicy(password ?? '');
    if (policy) throw new AdminError(policy);
    await this.#ctx.storage.users.setPassword(
      user.id,
      await hashPassword(password),
      nowSeconds(this.#ctx.config),
    );
    return { user_id: user.id };
  }

  async addRole(name: string, description = '', permissions: { api: string; permission: string }[] = []) {
    if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(name))
      throw new AdminError('a role name is 1-64 letters, digits or _.:-');
    for (const { api } of permissions) {
      if (!(await this.#ctx.storage.apis.get(api))) throw new AdminError(`unknown API: ${api}`);
    }
    await this.#ctx.storage.roles.upsert({ name, description, permissions });
    return (await this.#ctx.storage.roles.get(name))!;
  }

  async assignRole(login: string, role: string): Promise<{ user_id: string; role: string }> {
    const user = await this.#user(login);
    if (!(await this.#ctx.storage.roles.get(role))) throw new AdminError(`unknown role: ${role}`);
    await this.#ctx.storage.roles.assign(user.id, role);
    return { user_id: user.id, role };
  }

  listRoles() {
    return this.#ctx.storage.roles.list();
  }

  /**
   * Signs a user out everywhere: every SSO session ends, every refresh token family is revoked,
   * and APIs following the revocation feed refuse the user's outstanding access tokens.
   */
  async revokeUser(login: string): Promise<{ user_id: string; sessions: number }> {
    const user = await this.#user(login);
    return { user_id: user.id, sessions: await endEverySession(this.#ctx, user.id) };
  }

  /** Adds a connection (see `AddConnectionInput`): one more way to sign in, for the clients given. */
  addConnection(input: AddConnectionInput): Promise<ConnectionView> {
    return addConnection(this.#ctx, input);
  }

  updateConnection(
    name: string,
    changes: Omit<AddConnectionInput, 'name' | 'type'>,
  ): Promise<ConnectionView> {
    return updateConnection(this.#ctx, name, changes);
  }

  removeConnection(name: string): Promise<{ name: string }> {
    return removeConnection(this.#ctx, name);
  }

  enableConnection(name: string, clientId: string): Promise<ConnectionView> {
    return setConnectionEnabled(this.#ctx, name, clientId, true);
  }

  disableConnection(name: string, clientId: string): Promise<ConnectionView> {
    return setConnectionEnabled(this.#ctx, name, clientId, false);
  }

  listConnections(): Promise<ConnectionView[]> {
    return listConnections(this.#ctx);
  }

  /** The connection types (`--type`) this server takes. */
  connectionTypes(): string[] {
    return connectionTypes(this.#ctx);
  }

  rotateKeys() {
    return this.#ctx.keys.rotate();
  }

  /**
   * The article's nuclear option: every signing key is revoked and replaced, every key id goes on
   * the revocation feed, every refresh token and SSO session ends. Everyone signs in again.
   */
  async revokeAllKeys(): Promise<{ revoked: string[] }> {
    const result = await this.#ctx.keys.revokeAll();
    for (const kid of result.revoked) await this.#ctx.revocations.revokeIssuedBefore('key', kid);
    const now = nowSeconds(this.#ctx.config);
    // Every outstanding authorization code is forgotten, so none can be exchanged afterwards.
    await this.#ctx.storage.codes.deleteExpired(Number.MAX_SAFE_INTEGER);
    for (const user of await this.#ctx.storage.users.list()) {
      await this.#ctx.storage.refreshTokens.revokeForUser(user.id, now);
      await this.#ctx.sso.endAllForUser(user.id);
    }
    return result;
  }

  listKeys() {
    return this.#ctx.keys.list();
  }

  async #user(login: string): Promise<User> {
    const user =
      (await this.#ctx.storage.users.get(login)) ?? (await this.#ctx.storage.users.findByLogin(login));
    if (!user) throw new AdminError(`unknown user: ${login}`);
    return user;
  }
}
