import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { adminCall, type ResourceErrors } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { pageOf } from '../http/paging.js';
import { errorResponses, jsonAnswer, jsonBody, needs } from '../http/route-parts.js';
import { toAuth0Role, toAuth0UserPermission } from './auth0-role.js';
import { ROLE_ERRORS } from './role-routes.js';
import {
  PageOnlyQuery,
  PermissionsBody,
  RoleList,
  UserIdParams,
  UserPermissionList,
  UserRolesBody,
} from './role-schemas.js';

/** How the domain's refusals about a user's roles and permissions are answered (the path names a user). */
const USER_ROLE_ERRORS: ResourceErrors = { ...ROLE_ERRORS, notFound: 'inexistent_user' };

const tags = ['Users'];

const listRoles = createRoute({
  method: 'get',
  path: '/users/{id}/roles',
  tags,
  summary: "List a user's roles",
  security: needs('read:role_members'),
  request: { params: UserIdParams, query: PageOnlyQuery },
  responses: { 200: jsonAnswer('The roles, by name.', RoleList), ...errorResponses(400, 401, 403, 404) },
});

const assignRoles = createRoute({
  method: 'post',
  path: '/users/{id}/roles',
  tags,
  summary: 'Assign roles to a user',
  description:
    'All or none: an unknown role id refuses the lot. The next access token of the user carries them.',
  security: needs('create:role_members'),
  request: { params: UserIdParams, body: jsonBody(UserRolesBody) },
  responses: { 204: { description: 'Assigned.' }, ...errorResponses(400, 401, 403, 404, 415) },
});

const removeRoles = createRoute({
  method: 'delete',
  path: '/users/{id}/roles',
  tags,
  summary: 'Remove roles from a user',
  description:
    'Roles the user does not have are ignored. Access tokens already issued keep them until they expire.',
  security: needs('delete:role_members'),
  request: { params: UserIdParams, body: jsonBody(UserRolesBody) },
  responses: { 204: { description: 'Removed.' }, ...errorResponses(400, 401, 403, 404, 415) },
});

const listPermissions = createRoute({
  method: 'get',
  path: '/users/{id}/permissions',
  tags,
  summary: "List a user's permissions",
  description:
    'What the roles of the user grant, each permission once with its sources (the roles, source_type ROLE).',
  security: needs('read:users'),
  request: { params: UserIdParams, query: PageOnlyQuery },
  responses: {
    200: jsonAnswer('The permissions, by API and name.', UserPermissionList),
    ...errorResponses(400, 401, 403, 404),
  },
});

const directPermissions = (method: 'post' | 'delete', summary: string) =>
  createRoute({
    method,
    path: '/users/{id}/permissions',
    tags,
    summary,
    description:
      'Refused (400): Warden grants permissions through roles only. Add the permission to a role (POST /roles/{id}/permissions) and assign the role (POST /users/{id}/roles).',
    security: needs('update:users'),
    request: { params: UserIdParams, body: jsonBody(PermissionsBody) },
    responses: errorResponses(400, 401, 403, 404, 415),
  });

const addPermissions = directPermissions('post', 'Assign permissions to a user (refused: use a role)');
const removePermissions = directPermissions('delete', 'Remove permissions from a user (refused: use a role)');

/** `/users/{id}/roles` and `/users/{id}/permissions`: a user's roles, and what they grant. */
export function userRoleRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...listRoles, middleware: [auth.require('read:role_members')] }, async (c) => {
    const { id } = c.req.valid('param');
    const roles = await adminCall(USER_ROLE_ERRORS, () => c.var.admin.listUserRoles(id));
    return c.json(
      pageOf('roles', roles.map(toAuth0Role), c.req.valid('query')) as z.infer<typeof RoleList>,
      200,
    );
  });

  app.openapi({ ...assignRoles, middleware: [auth.require('create:role_members')] }, async (c) => {
    const { id } = c.req.valid('param');
    const { roles } = c.req.valid('json');
    await adminCall(USER_ROLE_ERRORS, () => c.var.admin.assignUserRoles(id, roles));
    return c.body(null, 204);
  });

  app.openapi({ ...removeRoles, middleware: [auth.require('delete:role_members')] }, async (c) => {
    const { id } = c.req.valid('param');
    const { roles } = c.req.valid('json');
    await adminCall(USER_ROLE_ERRORS, () => c.var.admin.removeUserRoles(id, roles));
    return c.body(null, 204);
  });

  app.openapi({ ...listPermissions, middleware: [auth.require('read:users')] }, async (c) => {
    const { id } = c.req.valid('param');
    const permissions = await adminCall(USER_ROLE_ERRORS, () => c.var.admin.listUserPermissions(id));
    const page = pageOf('permissions', permissions.map(toAuth0UserPermission), c.req.valid('query'));
    return c.json(page as z.infer<typeof UserPermissionList>, 200);
  });

  app.openapi({ ...addPermissions, middleware: [auth.require('update:users')] }, async (c) => {
    const { id } = c.req.valid('param');
    return adminCall(USER_ROLE_ERRORS, () => c.var.admin.addUserPermissions(id));
  });

  app.openapi({ ...removePermissions, middleware: [auth.require('update:users')] }, async (c) => {
    const { id } = c.req.valid('param');
    return adminCall(USER_ROLE_ERRORS, () => c.var.admin.removeUserPermissions(id));
  });
}
