import { nowSeconds } from '../config.js';
import { ensureConsoleClient } from '../console/ensure-console-client.js';
import type { ServerContext } from '../server-context.js';
import { AdminError } from './admin-error.js';
import {
  type AddApiInput,
  type ApiChanges,
  addApi,
  ensureManagementApi,
  getApi,
  listApis,
  removeApi,
  updateApi,
} from './apis-admin.js';
import { auditedChange, auditedCreate, type ChangeSubject, subjects } from './audited-change.js';
import {
  type AddClientInput,
  addClient,
  type ClientChanges,
  type ClientView,
  getClient,
  listClients,
  removeClient,
  rotateClientSecret,
  updateClient,
} from './clients-admin.js';
import {
  type AddConnectionInput,
  addConnection,
  type ConnectionView,
  connectionTypes,
  getConnection,
  listConnections,
  removeConnection,
  setConnectionEnabled,
  updateConnection,
} from './connections-admin.js';
import { getKey, type KeyView, revokeKey } from './keys-admin.js';
import {
  addRole,
  addRolePermissions,
  assignRoleUsers,
  assignUserRoles,
  type CreateRoleInput,
  createRole,
  getRole,
  listRolePermissions,
  listRoles,
  listRoleUsers,
  listUserPermissions,
  listUserRoles,
  type RoleChanges,
  type RolePermission,
  type RolePermissionView,
  refuseDirectPermissions,
  removeRole,
  removeRolePermissions,
  removeUserRoles,
  type UserPermissionView,
  updateRole,
} from './roles-admin.js';

export type {
  AddApiInput,
  AddClientInput,
  AddConnectionInput,
  ApiChanges,
  ClientChanges,
  ClientView,
  ConnectionView,
  CreateRoleInput,
  KeyView,
  RoleChanges,
  RolePermission,
  RolePermissionView,
  UserPermissionView,
};
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

import { endEverySession } from '../sso/end-sessions.js';
import type { Api, Role, User } from '../storage/storage.js';
import {
  type AddUserInput,
  type AuthenticationMethodView,
  changeOfUser,
  endUserSession,
  endUserSessions,
  getUser,
  type IdentityView,
  insertUser,
  listAuthenticationMethods,
  listUserSessions,
  newUser,
  removeAuthenticationMethod,
  removeUser,
  searchUsers,
  type UserChanges,
  type UserSessionView,
  type UserView,
  unlinkIdentity,
  updateUser,
  usersByEmail,
  viewUser,
} from './users-admin.js';

export type { AddUserInput, AuthenticationMethodView, IdentityView, UserChanges, UserSessionView, UserView };

/**
 * Registration and account administration: clients, APIs, users, roles, keys. Used by the
 * `warden` CLI and the config file loader; every change is visible to running servers at once
 * (they read the registry from the database).
 *
 * Every change is recorded in the audit log as made by `actor`: `sapi` with what it changed, or
 * `fapi` when an `AdminError` refuses it. A method that changes something runs through `#change`
 * (or `#create`, when only the result names what was made) in one line; reads are not recorded.
 */
export class Admin {
  readonly #ctx: ServerContext;
  /** Who makes the changes, for the audit log. */
  readonly actor: AdminActor;

  constructor(ctx: ServerContext, actor: AdminActor = { kind: 'cli' }) {
    this.#ctx = ctx;
    this.actor = Object.freeze({ ...actor });
  }

  addClient(input: AddClientInput): Promise<{ client_id: string; client_secret?: string }> {
    return this.#create(
      'Create a client',
      () => addClient(this.#ctx, input),
      (created) => subjects.client(this.#ctx, created.client_id),
    );
  }

  listClients(): Promise<ClientView[]> {
    return listClients(this.#ctx);
  }

  getClient(clientId: string): Promise<ClientView> {
    return getClient(this.#ctx, clientId);
  }

  updateClient(clientId: string, changes: ClientChanges): Promise<ClientView> {
    return this.#change('Update a client', subjects.client(this.#ctx, clientId), () =>
      updateClient(this.#ctx, clientId, changes),
    );
  }

  removeClient(clientId: string): Promise<{ client_id: string }> {
    return this.#change('Delete a client', subjects.client(this.#ctx, clientId), () =>
      removeClient(this.#ctx, clientId),
    );
  }

  rotateClientSecret(clientId: string): Promise<{ client: ClientView; client_secret: string }> {
    return this.#change('Rotate a client secret', subjects.client(this.#ctx, clientId), () =>
      rotateClientSecret(this.#ctx, clientId),
    );
  }

  addApi(input: AddApiInput): Promise<Api> {
    return this.#create(
      'Create a resource server',
      () => addApi(this.#ctx, input),
      (api) => subjects.api(this.#ctx, api.identifier),
    );
  }

  listApis(): Promise<Api[]> {
    return listApis(this.#ctx);
  }

  getApi(identifier: string): Promise<Api> {
    return getApi(this.#ctx, identifier);
  }

  updateApi(identifier: string, changes: ApiChanges): Promise<Api> {
    return this.#change('Update a resource server', subjects.api(this.#ctx, identifier), () =>
      updateApi(this.#ctx, identifier, changes),
    );
  }

  removeApi(identifier: string): Promise<{ identifier: string }> {
    return this.#change('Delete a resource server', subjects.api(this.#ctx, identifier), () =>
      removeApi(this.#ctx, identifier),
    );
  }

  /**
   * Registers the issuer's management API with these scopes, or updates them (see
   * `ensureManagementApi`), and the console's client that asks for tokens for it.
   */
  async ensureManagementApi(
    name: string,
    scopes: readonly { value: string; description: string }[],
  ): Promise<Api> {
    const api = await ensureManagementApi(this.#ctx, name, scopes);
    await ensureConsoleClient(this.#ctx);
    return api;
  }

  /**
   * Creates a user with `newUser`'s checks (email, username, password policy, profile), and gives
   * them `roles` (created when missing). Refuses an email or username that is taken in any letter
   * case or composition.
   */
  addUser(input: AddUserInput): Promise<{ user_id: string }> {
    return this.#create(
      'Create a user',
      () => this.#addUser(input),
      (created) => subjects.user(this.#ctx, created.user_id),
    );
  }

  async #addUser(input: AddUserInput): Promise<{ user_id: string }> {
    const user = await newUser(this.#ctx, input);
    for (const role of input.roles ?? []) {
      if (!(await this.#ctx.storage.roles.get(role))) await addRole(this.#ctx, role, '', []);
    }
    await insertUser(this.#ctx, user);
    for (const role of input.roles ?? []) await this.#ctx.storage.roles.assign(user.id, role);
    return { user_id: user.id };
  }

  /**
   * Every user with their roles, whether they have a password, and their upstream `identities`
   * (connection, provider, the upstream's id, the profile it last sent); never a password hash or
   * upstream tokens.
   */
  async listUsers(): Promise<(UserView & { roles: string[] })[]> {
    const users = await this.#ctx.storage.users.list();
    return Promise.all(
      users.map(async (user) => ({
        ...(await viewUser(this.#ctx, user)),
        roles: (await this.#ctx.storage.roles.forUser(user.id)).map((role) => role.name),
      })),
    );
  }

  /** The user with this id (the management API), or this id, email or username (`findUser`). */
  getUser(userId: string): Promise<UserView> {
    return getUser(this.#ctx, userId);
  }

  /** The user an id, email or username names, in any letter case (the CLI's `<user>`). */
  async findUser(login: string): Promise<UserView> {
    return viewUser(this.#ctx, await this.#user(login));
  }

  /** A page of the users Auth0's `q` finds (`searchUsers`); an unsupported `q` is refused naming it. */
  searchUsers(options: Parameters<typeof searchUsers>[1]): Promise<{ users: UserView[]; total?: number }> {
    return searchUsers(this.#ctx, options);
  }

  usersByEmail(email: string): Promise<UserView[]> {
    return usersByEmail(this.#ctx, email);
  }

  /** Changes a user (`updateUser`); blocking one ends their sessions and refresh tokens. */
  updateUser(userId: string, changes: UserChanges): Promise<UserView> {
    return this.#change(changeOfUser(changes), subjects.user(this.#ctx, userId), () =>
      updateUser(this.#ctx, userId, changes),
    );
  }

  removeUser(userId: string): Promise<{ user_id: string }> {
    return this.#change('Delete a user', subjects.user(this.#ctx, userId), () =>
      removeUser(this.#ctx, userId),
    );
  }

  setPassword(login: string, password: string): Promise<{ user_id: string }> {
    return this.#change(
      "Set a user's password",
      () => this.#userSubject(login),
      async () => {
        const user = await this.#user(login);
        await updateUser(this.#ctx, user.id, { password });
        return { user_id: user.id };
      },
    );
  }

  listUserSessions(userId: string): Promise<UserSessionView[]> {
    return listUserSessions(this.#ctx, userId);
  }

  endUserSession(userId: string, sessionId: string): Promise<{ user_id: string; session_id: string }> {
    return this.#change("End a user's session", subjects.user(this.#ctx, userId), () =>
      endUserSession(this.#ctx, userId, sessionId),
    );
  }

  endUserSessions(userId: string): Promise<{ user_id: string; sessions: number }> {
    return this.#change('End every session of a user', subjects.user(this.#ctx, userId), () =>
      endUserSessions(this.#ctx, userId),
    );
  }

  /** Takes an upstream account off a user (`unlinkIdentity`); returns the identities left. */
  unlinkIdentity(userId: string, provider: string, upstreamId: string): Promise<IdentityView[]> {
    return this.#change('Unlink an identity', subjects.user(this.#ctx, userId), () =>
      unlinkIdentity(this.#ctx, userId, provider, upstreamId),
    );
  }

  listAuthenticationMethods(userId: string): Promise<AuthenticationMethodView[]> {
    return listAuthenticationMethods(this.#ctx, userId);
  }

  removeAuthenticationMethod(userId: string, methodId: string): Promise<{ user_id: string; id: string }> {
    return this.#change('Delete an authentication method', subjects.user(this.#ctx, userId), () =>
      removeAuthenticationMethod(this.#ctx, userId, methodId),
    );
  }

  /** Creates a role (`createRole`): a new `rol_…` id; a name in use is refused. */
  createRole(input: CreateRoleInput): Promise<Role> {
    return this.#create(
      'Create a role',
      () => createRole(this.#ctx, input),
      (role) => subjects.roleById(this.#ctx, role.id),
    );
  }

  /** Creates the role or adds permissions to the role of that name (`warden roles add`). */
  addRole(name: string, description = '', permissions: RolePermission[] = []): Promise<Role> {
    return this.#change('Create or update a role', subjects.role(this.#ctx, name), () =>
      addRole(this.#ctx, name, description, permissions),
    );
  }

  /** The role of this id or name. */
  getRole(ref: string): Promise<Role> {
    return getRole(this.#ctx, ref);
  }

  listRoles(nameFilter?: string): Promise<Role[]> {
    return listRoles(this.#ctx, nameFilter);
  }

  updateRole(ref: string, changes: RoleChanges): Promise<Role> {
    return this.#change(
      'Update a role',
      () => this.#roleSubject(ref),
      () => updateRole(this.#ctx, ref, changes),
    );
  }

  /** Deletes a role (`removeRole`): tokens already issued with it stay valid until they expire. */
  removeRole(ref: string): Promise<{ id: string; name: string }> {
    return this.#change(
      'Delete a role',
      () => this.#roleSubject(ref),
      () => removeRole(this.#ctx, ref),
    );
  }

  listRolePermissions(ref: string): Promise<RolePermissionView[]> {
    return listRolePermissions(this.#ctx, ref);
  }

  addRolePermissions(ref: string, permissions: RolePermission[]): Promise<Role> {
    return this.#change(
      'Add permissions to a role',
      () => this.#roleSubject(ref),
      () => addRolePermissions(this.#ctx, ref, permissions),
    );
  }

  removeRolePermissions(ref: string, permissions: RolePermission[]): Promise<Role> {
    return this.#change(
      'Remove permissions from a role',
      () => this.#roleSubject(ref),
      () => removeRolePermissions(this.#ctx, ref, permissions),
    );
  }

  listRoleUsers(ref: string, page: { take: number; offset?: number; after?: string }) {
    return listRoleUsers(this.#ctx, ref, page);
  }

  assignRoleUsers(ref: string, userIds: string[]): Promise<{ id: string; users: string[] }> {
    return this.#change(
      'Assign users to a role',
      async () => subjects.roleUsers(this.#ctx, (await getRole(this.#ctx, ref)).id, userIds),
      () => assignRoleUsers(this.#ctx, ref, userIds),
    );
  }

  /** Gives a user one role (`warden roles assign`). */
  assignRole(login: string, role: string): Promise<{ user_id: string; role: string }> {
    return this.#change(
      'Assign a role to a user',
      () => this.#userSubject(login),
      async () => {
        const user = await this.#user(login);
        await assignUserRoles(this.#ctx, user, [role]);
        return { user_id: user.id, role };
      },
    );
  }

  listUserRoles(login: string): Promise<Role[]> {
    return this.#user(login).then((user) => listUserRoles(this.#ctx, user));
  }

  assignUserRoles(login: string, roles: string[]): Promise<Role[]> {
    return this.#change(
      'Assign roles to a user',
      () => this.#userSubject(login),
      async () => assignUserRoles(this.#ctx, await this.#user(login), roles),
    );
  }

  removeUserRoles(login: string, roles: string[]): Promise<Role[]> {
    return this.#change(
      'Remove roles from a user',
      () => this.#userSubject(login),
      async () => removeUserRoles(this.#ctx, await this.#user(login), roles),
    );
  }

  /** The user's permissions, each with the roles that grant it. */
  listUserPermissions(login: string): Promise<UserPermissionView[]> {
    return this.#user(login).then((user) => listUserPermissions(this.#ctx, user));
  }

  /** Refused: Warden grants permissions through roles only (`refuseDirectPermissions`). */
  addUserPermissions(login: string): Promise<never> {
    return this.#change(
      'Add permissions to a user',
      () => this.#userSubject(login),
      async () => refuseDirectPermissions(),
    );
  }

  /** Refused: Warden grants permissions through roles only (`refuseDirectPermissions`). */
  removeUserPermissions(login: string): Promise<never> {
    return this.#change(
      'Remove permissions from a user',
      () => this.#userSubject(login),
      async () => refuseDirectPermissions(),
    );
  }

  /**
   * Signs a user out everywhere: every SSO session ends, every refresh token family is revoked,
   * and APIs following the revocation feed refuse the user's outstanding access tokens.
   */
  revokeUser(login: string): Promise<{ user_id: string; sessions: number }> {
    return this.#change(
      'Sign a user out everywhere',
      async () => ({ target: { user_id: (await this.#user(login)).id } }),
      async () => {
        const user = await this.#user(login);
        return { user_id: user.id, sessions: await endEverySession(this.#ctx, user.id) };
      },
    );
  }

  /** Adds a connection (see `AddConnectionInput`): one more way to sign in, for the clients given. */
  addConnection(input: AddConnectionInput): Promise<ConnectionView> {
    return this.#create(
      'Create a connection',
      () => addConnection(this.#ctx, input),
      (connection) => subjects.connection(this.#ctx, connection.name),
    );
  }

  updateConnection(
    name: string,
    changes: Omit<AddConnectionInput, 'name' | 'type'>,
  ): Promise<ConnectionView> {
    return this.#change('Update a connection', subjects.connection(this.#ctx, name), () =>
      updateConnection(this.#ctx, name, changes),
    );
  }

  removeConnection(name: string): Promise<{ name: string }> {
    return this.#change('Delete a connection', subjects.connection(this.#ctx, name), () =>
      removeConnection(this.#ctx, name),
    );
  }

  enableConnection(name: string, clientId: string): Promise<ConnectionView> {
    return this.#change('Enable a connection for a client', subjects.connection(this.#ctx, name), () =>
      setConnectionEnabled(this.#ctx, name, clientId, true),
    );
  }

  disableConnection(name: string, clientId: string): Promise<ConnectionView> {
    return this.#change('Disable a connection for a client', subjects.connection(this.#ctx, name), () =>
      setConnectionEnabled(this.#ctx, name, clientId, false),
    );
  }

  listConnections(): Promise<ConnectionView[]> {
    return listConnections(this.#ctx);
  }

  getConnection(name: string): Promise<ConnectionView> {
    return getConnection(this.#ctx, name);
  }

  /** The connection types (`--type`) this server takes. */
  connectionTypes(): string[] {
    return connectionTypes(this.#ctx);
  }

  rotateKeys() {
    return this.#change('Rotate the signing keys', subjects.keys(this.#ctx), () => this.#ctx.keys.rotate());
  }

  /**
   * The article's nuclear option: every signing key is revoked and replaced, every key id goes on
   * the revocation feed, every refresh token and SSO session ends. Everyone signs in again.
   */
  revokeAllKeys(): Promise<{ revoked: string[] }> {
    return this.#change('Revoke all signing keys', subjects.keys(this.#ctx), () => this.#revokeAllKeys());
  }

  async #revokeAllKeys(): Promise<{ revoked: string[] }> {
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

  listKeys(): Promise<KeyView[]> {
    return this.#ctx.keys.list();
  }

  getKey(kid: string): Promise<KeyView> {
    return getKey(this.#ctx, kid);
  }

  /** Revokes one signing key that is not the current one (see `revokeKey`). */
  revokeKey(kid: string): Promise<KeyView> {
    return this.#change('Revoke a signing key', subjects.key(this.#ctx, kid), () =>
      revokeKey(this.#ctx, kid),
    );
  }

  /** Runs a change as `actor` and records it in the audit log (`auditedChange`). */
  #change<T>(
    description: string,
    subject: ChangeSubject | (() => Promise<ChangeSubject>),
    change: () => Promise<T>,
  ): Promise<T> {
    const find = typeof subject === 'function' ? subject : () => subject;
    return auditedChange(this.#ctx, this.actor, description, find, change);
  }

  /** Runs a creation as `actor` and records it in the audit log (`auditedCreate`). */
  #create<T>(description: string, change: () => Promise<T>, subjectOf: (result: T) => ChangeSubject) {
    return auditedCreate(this.#ctx, this.actor, description, change, subjectOf);
  }

  /** The role `ref` names (id or name), as the subject of a change (unknown: refused, `not_found`). */
  async #roleSubject(ref: string): Promise<ChangeSubject> {
    return subjects.roleById(this.#ctx, (await getRole(this.#ctx, ref)).id);
  }

  /** The user `login` names, as the subject of a change (unknown: refused, `not_found`). */
  async #userSubject(login: string): Promise<ChangeSubject> {
    return subjects.user(this.#ctx, (await this.#user(login)).id);
  }

  async #user(login: string): Promise<User> {
    const user =
      (await this.#ctx.storage.users.get(login)) ?? (await this.#ctx.storage.users.findByLogin(login));
    if (!user) throw AdminError.notFound(`unknown user: ${login}`);
    return user;
  }
}
