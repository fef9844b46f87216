import { z } from '@hono/zod-openapi';
import { PageQuery } from '../http/paging.js';

const roleName = z.string().min(1).max(64).openapi({
  description: '1 to 64 letters, digits or _.:- (what access tokens list in their roles claim).',
  example: 'admin',
});

const roleDescription = z.string().max(255).openapi({ example: 'Sees the orders' });

export const Role = z
  .object({
    id: z.string().openapi({ example: 'rol_3f9c0d5e8a7b4c21a9e6f0b1c2d3e4f5' }),
    name: z.string(),
    description: z.string(),
  })
  .openapi('Role');

export const CreateRoleBody = z
  .strictObject({ name: roleName, description: roleDescription.optional() })
  .openapi('RoleCreate');

export const UpdateRoleBody = z
  .strictObject({ name: roleName.optional(), description: roleDescription.optional() })
  .openapi('RoleUpdate');

export type CreateRoleBody = z.infer<typeof CreateRoleBody>;
export type UpdateRoleBody = z.infer<typeof UpdateRoleBody>;

const totals = {
  start: z.number().int(),
  limit: z.number().int(),
  length: z.number().int(),
  total: z.number().int(),
};

export const RoleList = z
  .union([z.array(Role), z.object({ ...totals, roles: z.array(Role) })])
  .openapi('RoleList');

export const RoleIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path', description: 'The role id (rol_…).' } }),
});

export const UserIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'id', in: 'path', description: 'The user id.' }, example: 'auth0|ada' }),
});

export const ListRolesQuery = z.strictObject({
  ...PageQuery,
  name_filter: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: 'Only the roles whose name contains this, in any letter case.' }),
});

export const PageOnlyQuery = z.strictObject({ ...PageQuery });

/** One permission in a request: a scope (`permission_name`) of one API. */
const PermissionRef = z
  .strictObject({
    resource_server_identifier: z.string().min(1).max(600).openapi({ example: 'http://localhost:3001/api/' }),
    permission_name: z.string().min(1).max(280).openapi({ example: 'read:orders' }),
  })
  .openapi('PermissionReference');

export const PermissionsBody = z
  .strictObject({
    permissions: z.array(PermissionRef).min(1).max(100).openapi({
      description: 'Each a scope the API defines.',
    }),
  })
  .openapi('PermissionsBody');

export type PermissionsBody = z.infer<typeof PermissionsBody>;

export const RolePermission = z
  .object({
    resource_server_identifier: z.string(),
    permission_name: z.string(),
    resource_server_name: z.string(),
    description: z.string().optional(),
  })
  .openapi('RolePermission');

export const RolePermissionList = z
  .union([z.array(RolePermission), z.object({ ...totals, permissions: z.array(RolePermission) })])
  .openapi('RolePermissionList');

export const UserPermission = RolePermission.extend({
  sources: z.array(
    z.object({
      source_id: z.string(),
      source_name: z.string(),
      source_type: z.literal('ROLE'),
    }),
  ),
}).openapi('UserPermission');

export const UserPermissionList = z
  .union([z.array(UserPermission), z.object({ ...totals, permissions: z.array(UserPermission) })])
  .openapi('UserPermissionList');

export const RoleUser = z
  .object({
    user_id: z.string(),
    email: z.string().optional(),
    name: z.string().optional(),
    picture: z.string().optional(),
  })
  .openapi('RoleUser');

export const RoleUserList = z
  .union([
    z.array(RoleUser),
    z.object({ ...totals, users: z.array(RoleUser) }),
    z.object({ users: z.array(RoleUser), next: z.string().optional() }),
  ])
  .openapi('RoleUserList');

export const ListRoleUsersQuery = z.strictObject({
  ...PageQuery,
  from: z
    .string()
    .max(256)
    .optional()
    .openapi({ description: 'Checkpoint paging: the `next` of the previous page.' }),
  take: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Checkpoint paging: how many (1 to 100).' }),
});

export const AssignRoleUsersBody = z
  .strictObject({
    users: z.array(z.string().min(1).max(256)).min(1).max(100).openapi({ description: 'User ids.' }),
  })
  .openapi('RoleUsersAssign');

export const UserRolesBody = z
  .strictObject({
    roles: z.array(z.string().min(1).max(128)).min(1).max(100).openapi({ description: 'Role ids.' }),
  })
  .openapi('UserRolesBody');
