import type { z } from '@hono/zod-openapi';
import type { Role, RolePermission, RolePermissionView, User, UserPermissionView } from '@warden/server';
import type {
  Role as Auth0Role,
  RolePermission as Auth0RolePermission,
  PermissionsBody,
  RoleUser,
  UserPermission,
} from './role-schemas.js';

/** A role in Auth0's shape: `{ id, name, description }`. */
export function toAuth0Role(role: Role): z.infer<typeof Auth0Role> {
  return { id: role.id, name: role.name, description: role.description };
}

/** A role's permission as Auth0 lists it, with the API's name and the scope's description. */
export function toAuth0RolePermission(view: RolePermissionView): z.infer<typeof Auth0RolePermission> {
  return {
    resource_server_identifier: view.api,
    permission_name: view.permission,
    resource_server_name: view.apiName,
    ...(view.description === null ? {} : { description: view.description }),
  };
}

/** A user's permission as Auth0 lists it: with its `sources`, the roles that grant it. */
export function toAuth0UserPermission(view: UserPermissionView): z.infer<typeof UserPermission> {
  return {
    ...toAuth0RolePermission(view),
    sources: view.roles.map((role) => ({
      source_id: role.id,
      source_name: role.name,
      source_type: 'ROLE' as const,
    })),
  };
}

/** A member of a role as Auth0 lists it: `{ user_id, email, name, picture }` (those it has). */
export function toAuth0RoleUser(user: User): z.infer<typeof RoleUser> {
  return {
    user_id: user.id,
    ...(user.email === null ? {} : { email: user.email }),
    ...(user.name === null ? {} : { name: user.name }),
    ...(user.picture === null ? {} : { picture: user.picture }),
  };
}

/** `{ permissions: [{ resource_server_identifier, permission_name }] }` as the domain's permissions. */
export function permissionsOf(body: PermissionsBody): RolePermission[] {
  return body.permissions.map((entry) => ({
    api: entry.resource_server_identifier,
    permission: entry.permission_name,
  }));
}
