import { hasControlCharacter } from '@warden/protocol';
import { ADMINISTRATOR_ROLE } from '../console/console-client.js';
import { newId } from '../ids.js';
import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Api, Role, User } from '../storage/storage.js';
import { AdminError } from './admin-error.js';

/**
 * Roles: named sets of permissions (each a scope of one API) that users are given. When an API has
 * RBAC on, every access token issued for it to a user carries the user's `roles` and the
 * `permissions` those roles grant for that API, read when the token is issued: a change to a role
 * or to a user's roles reaches the next token at once. Tokens already issued keep what they carry
 * until they expire (revoke the user's sessions if that matters).
 *
 * Warden grants permissions through roles only: a user has no permissions of their own.
 */

/** One permission: a scope of one API. */
export interface RolePermission {
  api: string;
  permission: string;
}

/** A permission with what the API says of it: its name and the scope's description. */
export interface RolePermissionView extends RolePermission {
  apiName: string;
  description: string | null;
}

/** A permission a user has, with the roles that grant it. */
export interface UserPermissionView extends RolePermissionView {
  roles: { id: string; name: string }[];
}

export interface CreateRoleInput {
  name: string;
  description?: string;
  permissions?: RolePermission[];
}

/** What `updateRole` may change; what is left out stays. */
export interface RoleChanges {
  name?: string;
  description?: string;
}

const ROLE_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_DESCRIPTION = 255;

/** A role name: 1-64 letters, digits or `_.:-` (what the `roles` claim of access tokens lists). */
export function checkRoleName(value: unknown): string {
  if (typeof value !== 'string' || !ROLE_NAME.test(value))
    throw new AdminError('--name must be 1-64 letters, digits or _.:-');
  return value;
}

function checkDescription(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION || hasControlCharacter(value))
    throw new AdminError(
      `--description must be at most ${MAX_DESCRIPTION} characters without control characters`,
    );
  return value;
}

/**
 * Each permission must name an API that exists and one of the scopes it defines; returned without
 * repeats.
 */
async function checkPermissions(ctx: ServerContext, permissions: unknown): Promise<RolePermission[]> {
  if (!Array.isArray(permissions)) throw new AdminError('--permission must be a list');
  const apis = new Map<string, Api | undefined>();
  const checked: RolePermission[] = [];
  for (const entry of permissions as RolePermission[]) {
    const { api: identifier, permission } = entry ?? {};
    if (typeof identifier !== 'string' || typeof permission !== 'string')
      throw new AdminError('--permission is an API identifier and a permission name');
    if (!apis.has(identifier)) apis.set(identifier, await ctx.storage.apis.get(identifier));
    const api = apis.get(identifier);
    if (!api) throw new AdminError(`--permission names an unknown API: ${identifier}`);
    if (!api.scopes.includes(permission))
      throw new AdminError(`--permission ${permission} is not a scope of the API ${identifier}`);
    if (!checked.some((p) => p.api === identifier && p.permission === permission))
      checked.push({ api: identifier, permission });
  }
  return checked;
}

/** The role `ref` names, by its id or its name; refused (`not_found`) when there is none. */
export async function getRole(ctx: ServerContext, ref: string): Promise<Role> {
  const role = await findRole(ctx, ref);
  if (!role) throw AdminError.notFound(`unknown role: ${ref}`);
  return role;
}

async function findRole(ctx: ServerContext, ref: unknown): Promise<Role | undefined> {
  if (typeof ref !== 'string') return undefined;
  return (await ctx.storage.roles.byId(ref)) ?? (await ctx.storage.roles.get(ref));
}

/** The roles `refs` name (ids or names), each once; an unknown one is refused (`invalid`, naming `--role`). */
async function rolesNamed(ctx: ServerContext, refs: unknown): Promise<Role[]> {
  if (!Array.isArray(refs)) throw new AdminError('--role must be a list');
  const roles: Role[] = [];
  for (const ref of refs) {
    const role = await findRole(ctx, ref);
    if (!role) throw new AdminError(`--role names an unknown role: ${String(ref)}`);
    if (!roles.some((r) => r.id === role.id)) roles.push(role);
  }
  return roles;
}

/** Every role, by name; with `nameFilter`, those whose name contains it in any letter case. */
export async function listRoles(ctx: ServerContext, nameFilter?: string): Promise<Role[]> {
  const roles = await ctx.storage.roles.list();
  if (!nameFilter) return roles;
  const wanted = nameFilter.toLowerCase();
  return roles.filter((role) => role.name.toLowerCase().includes(wanted));
}

/** Creates a role with a new `rol_…` id; refuses (`conflict`) a name in use. */
export async function createRole(ctx: ServerContext, input: CreateRoleInput): Promise<Role> {
  const name = checkRoleName(input.name);
  const description = checkDescription(input.description ?? '');
  const permissions = await checkPermissions(ctx, input.permissions ?? []);
  if (await ctx.storage.roles.get(name)) throw AdminError.conflict(`role ${name} already exists`);
  const role: Role = { id: newId('rol'), name, description, permissions };
  try {
    await ctx.storage.roles.insert(role);
  } catch (error) {
    if (isUniqueViolation(error)) throw AdminError.conflict(`role ${name} already exists`);
    throw error;
  }
  return (await ctx.storage.roles.byId(role.id)) ?? role;
}

/**
 * Creates the role, or adds `permissions` to the role of that name (and sets its description when
 * one is given): what `warden roles add` and registration files do.
 */
export async function addRole(
  ctx: ServerContext,
  name: string,
  description: string,
  permissions: RolePermission[],
): Promise<Role> {
  const role: Role = {
    id: newId('rol'),
    name: checkRoleName(name),
    description: checkDescription(description),
    permissions: await checkPermissions(ctx, permissions),
  };
  await ctx.storage.roles.upsert(role);
  return (await ctx.storage.roles.get(role.name))!;
}

/** Renames or describes a role; its permissions and users stay. Refuses (`conflict`) a name in use. */
export async function updateRole(ctx: ServerContext, ref: string, changes: RoleChanges): Promise<Role> {
  const current = await getRole(ctx, ref);
  const name = changes.name === undefined ? current.name : checkRoleName(changes.name);
  if (name !== current.name) requireOrdinaryRole(current, 'renamed');
  const description =
    changes.description === undefined ? current.description : checkDescription(changes.description);
  if (name !== current.name && (await ctx.storage.roles.get(name)))
    throw AdminError.conflict(`role ${name} already exists`);
  try {
    await ctx.storage.roles.update(current.id, { name, description });
  } catch (error) {
    if (isUniqueViolation(error)) throw AdminError.conflict(`role ${name} already exists`);
    throw error;
  }
  return getRole(ctx, current.id);
}

/**
 * Deletes a role with its permissions and its assignments. Tokens already issued with it stay
 * valid until they expire; the next ones no longer carry it.
 */
export async function removeRole(ctx: ServerContext, ref: string): Promise<{ id: string; name: string }> {
  const role = await getRole(ctx, ref);
  requireOrdinaryRole(role, 'deleted');
  await ctx.storage.roles.delete(role.name);
  return { id: role.id, name: role.name };
}

/**
 * The administrator role (`warden:admin`) is how the management API knows the console's users: it
 * may be described, given and taken away, but neither renamed nor deleted.
 */
function requireOrdinaryRole(role: Role, change: 'renamed' | 'deleted'): void {
  if (role.name === ADMINISTRATOR_ROLE) {
    throw new AdminError(
      `the role ${ADMINISTRATOR_ROLE} makes users administrators of Warden: it cannot be ${change}`,
    );
  }
}

/** The role's permissions with their APIs' names and the scopes' descriptions. */
export async function listRolePermissions(ctx: ServerContext, ref: string): Promise<RolePermissionView[]> {
  return describePermissions(ctx, (await getRole(ctx, ref)).permissions);
}

/** Adds permissions (scopes of existing APIs) to a role. */
export async function addRolePermissions(
  ctx: ServerContext,
  ref: string,
  permissions: RolePermission[],
): Promise<Role> {
  const role = await getRole(ctx, ref);
  await ctx.storage.roles.addPermissions(role.name, await checkPermissions(ctx, permissions));
  return getRole(ctx, role.id);
}

/** Takes permissions from a role; those it does not have are ignored. */
export async function removeRolePermissions(
  ctx: ServerContext,
  ref: string,
  permissions: RolePermission[],
): Promise<Role> {
  const role = await getRole(ctx, ref);
  if (!Array.isArray(permissions)) throw new AdminError('--permission must be a list');
  await ctx.storage.roles.removePermissions(role.name, permissions);
  return getRole(ctx, role.id);
}

/**
 * The users who have the role, by user id: `take` from `offset`, or those after the user id
 * `after`; with how many have it in all.
 */
export async function listRoleUsers(
  ctx: ServerContext,
  ref: string,
  page: { take: number; offset?: number; after?: string },
): Promise<{ users: User[]; total: number }> {
  const role = await getRole(ctx, ref);
  const { userIds, total } = await ctx.storage.roles.members(role.name, page);
  const users = await Promise.all(userIds.map((id) => ctx.storage.users.get(id)));
  return { users: users.filter((user) => user !== undefined), total };
}

/** Gives the role to every user of `userIds` (all or none: an unknown id refuses the lot). */
export async function assignRoleUsers(
  ctx: ServerContext,
  ref: string,
  userIds: string[],
): Promise<{ id: string; users: string[] }> {
  const role = await getRole(ctx, ref);
  if (!Array.isArray(userIds)) throw new AdminError('--user must be a list');
  for (const userId of userIds) {
    if (typeof userId !== 'string' || !(await ctx.storage.users.get(userId)))
      throw new AdminError(`--user names an unknown user: ${String(userId)}`);
  }
  await ctx.storage.transaction(async (storage) => {
    for (const userId of userIds) await storage.roles.assign(userId, role.name);
  });
  return { id: role.id, users: userIds };
}

/** The user's roles, by name. */
export function listUserRoles(ctx: ServerContext, user: User): Promise<Role[]> {
  return ctx.storage.roles.forUser(user.id);
}

/** Gives the user the roles `refs` names, by id or name (all or none). */
export async function assignUserRoles(ctx: ServerContext, user: User, refs: string[]): Promise<Role[]> {
  const roles = await rolesNamed(ctx, refs);
  await ctx.storage.transaction(async (storage) => {
    for (const role of roles) await storage.roles.assign(user.id, role.name);
  });
  return ctx.storage.roles.forUser(user.id);
}

/** Takes the roles `refs` names from the user (all or none; those the user lacks are ignored). */
export async function removeUserRoles(ctx: ServerContext, user: User, refs: string[]): Promise<Role[]> {
  const roles = await rolesNamed(ctx, refs);
  await ctx.storage.transaction(async (storage) => {
    for (const role of roles) await storage.roles.unassign(user.id, role.name);
  });
  return ctx.storage.roles.forUser(user.id);
}

/** The user's permissions, each once, with the roles that grant it (by API, then permission). */
export async function listUserPermissions(ctx: ServerContext, user: User): Promise<UserPermissionView[]> {
  const roles = await ctx.storage.roles.forUser(user.id);
  const granted = new Map<string, { permission: RolePermission; roles: { id: string; name: string }[] }>();
  for (const role of roles) {
    for (const permission of role.permissions) {
      const key = JSON.stringify([permission.api, permission.permission]);
      const entry = granted.get(key) ?? { permission, roles: [] };
      entry.roles.push({ id: role.id, name: role.name });
      granted.set(key, entry);
    }
  }
  const entries = [...granted.values()].sort(
    (a, b) =>
      a.permission.api.localeCompare(b.permission.api) ||
      a.permission.permission.localeCompare(b.permission.permission),
  );
  const described = await describePermissions(
    ctx,
    entries.map((entry) => entry.permission),
  );
  return described.map((view, index) => ({ ...view, roles: entries[index]!.roles }));
}

/**
 * Warden has no permissions given to a user directly: refused, saying to use a role. (Auth0's
 * `POST/DELETE /users/{id}/permissions`.)
 */
export function refuseDirectPermissions(): never {
  throw new AdminError(
    'permissions: Warden grants permissions through roles only: add the permission to a role and assign the role to the user',
  );
}

async function describePermissions(
  ctx: ServerContext,
  permissions: RolePermission[],
): Promise<RolePermissionView[]> {
  const apis = new Map((await ctx.storage.apis.list()).map((api) => [api.identifier, api]));
  return permissions.map(({ api, permission }) => {
    const known = apis.get(api);
    return {
      api,
      permission,
      apiName: known?.name ?? api,
      description: known?.scopeDescriptions[permission] ?? null,
    };
  });
}
