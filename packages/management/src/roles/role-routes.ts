import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { adminCall, type ResourceErrors } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { ManagementError } from '../http/management-error.js';
import { DEFAULT_PER_PAGE, pageOf } from '../http/paging.js';
import { errorResponses, jsonAnswer, jsonBody, needs } from '../http/route-parts.js';
import { permissionsOf, toAuth0Role, toAuth0RolePermission, toAuth0RoleUser } from './auth0-role.js';
import {
  AssignRoleUsersBody,
  CreateRoleBody,
  ListRolesQuery,
  ListRoleUsersQuery,
  PageOnlyQuery,
  PermissionsBody,
  Role,
  RoleIdParams,
  RoleList,
  RolePermissionList,
  RoleUserList,
  UpdateRoleBody,
} from './role-schemas.js';

/** How the domain's refusals about roles are answered. */
export const ROLE_ERRORS: ResourceErrors = {
  notFound: 'inexistent_role',
  conflict: 'role_conflict',
  fields: {
    name: 'name',
    description: 'description',
    permission: 'permissions',
    user: 'users',
    role: 'roles',
  },
};

const tags = ['Roles'];

const list = createRoute({
  method: 'get',
  path: '/roles',
  tags,
  summary: 'List roles',
  description: 'By name; name_filter keeps those whose name contains it, in any letter case.',
  security: needs('read:roles'),
  request: { query: ListRolesQuery },
  responses: { 200: jsonAnswer('The roles.', RoleList), ...errorResponses(400, 401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/roles',
  tags,
  summary: 'Create a role',
  security: needs('create:roles'),
  request: { body: jsonBody(CreateRoleBody) },
  responses: { 201: jsonAnswer('The new role.', Role), ...errorResponses(400, 401, 403, 409, 415) },
});

const get = createRoute({
  method: 'get',
  path: '/roles/{id}',
  tags,
  summary: 'Get a role',
  security: needs('read:roles'),
  request: { params: RoleIdParams },
  responses: { 200: jsonAnswer('The role.', Role), ...errorResponses(400, 401, 403, 404) },
});

const update = createRoute({
  method: 'patch',
  path: '/roles/{id}',
  tags,
  summary: 'Update a role',
  description:
    'Renames or describes the role; its id, permissions and users stay. The next access tokens carry the new name.',
  security: needs('update:roles'),
  request: { params: RoleIdParams, body: jsonBody(UpdateRoleBody) },
  responses: {
    200: jsonAnswer('The role as it is now.', Role),
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/roles/{id}',
  tags,
  summary: 'Delete a role',
  description:
    'Deletes the role with its permissions and takes it from its users. Access tokens already issued with it stay valid until they expire; the next ones no longer carry it.',
  security: needs('delete:roles'),
  request: { params: RoleIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

const listPermissions = createRoute({
  method: 'get',
  path: '/roles/{id}/permissions',
  tags,
  summary: "List a role's permissions",
  security: needs('read:roles'),
  request: { params: RoleIdParams, query: PageOnlyQuery },
  responses: {
    200: jsonAnswer('The permissions, by API and name.', RolePermissionList),
    ...errorResponses(400, 401, 403, 404),
  },
});

const addPermissions = createRoute({
  method: 'post',
  path: '/roles/{id}/permissions',
  tags,
  summary: 'Add permissions to a role',
  description:
    'Each permission must be a scope the API defines. With RBAC on for the API, the next access token of each user with the role carries them.',
  security: needs('update:roles'),
  request: { params: RoleIdParams, body: jsonBody(PermissionsBody) },
  responses: { 201: { description: 'Added.' }, ...errorResponses(400, 401, 403, 404, 415) },
});

const removePermissions = createRoute({
  method: 'delete',
  path: '/roles/{id}/permissions',
  tags,
  summary: 'Remove permissions from a role',
  description: 'Those the role does not have are ignored. Tokens already issued keep them until they expire.',
  security: needs('update:roles'),
  request: { params: RoleIdParams, body: jsonBody(PermissionsBody) },
  responses: { 204: { description: 'Removed.' }, ...errorResponses(400, 401, 403, 404, 415) },
});

const listUsers = createRoute({
  method: 'get',
  path: '/roles/{id}/users',
  tags,
  summary: "List a role's users",
  description:
    'By user id. Offset paging (page, per_page, include_totals) or checkpoint paging (from, take).',
  security: needs('read:role_members'),
  request: { params: RoleIdParams, query: ListRoleUsersQuery },
  responses: { 200: jsonAnswer('The users.', RoleUserList), ...errorResponses(400, 401, 403, 404) },
});

const assignUsers = createRoute({
  method: 'post',
  path: '/roles/{id}/users',
  tags,
  summary: 'Assign users to a role',
  description: 'All or none: an unknown user id refuses the lot.',
  security: needs('create:role_members'),
  request: { params: RoleIdParams, body: jsonBody(AssignRoleUsersBody) },
  responses: { 200: { description: 'Assigned.' }, ...errorResponses(400, 401, 403, 404, 415) },
});

/** `/roles`: Auth0's role endpoints over the domain's role operations. */
export function roleRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...list, middleware: [auth.require('read:roles')] }, async (c) => {
    const query = c.req.valid('query');
    const roles = (await c.var.admin.listRoles(query.name_filter)).map(toAuth0Role);
    return c.json(pageOf('roles', roles, query) as z.infer<typeof RoleList>, 200);
  });

  app.openapi({ ...create, middleware: [auth.require('create:roles')] }, async (c) => {
    const body = c.req.valid('json');
    const role = await adminCall(ROLE_ERRORS, () => c.var.admin.createRole(body));
    return c.json(toAuth0Role(role), 201);
  });

  app.openapi({ ...get, middleware: [auth.require('read:roles')] }, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(toAuth0Role(await adminCall(ROLE_ERRORS, () => c.var.admin.getRole(id))), 200);
  });

  app.openapi({ ...update, middleware: [auth.require('update:roles')] }, async (c) => {
    const { id } = c.req.valid('param');
    const changes = c.req.valid('json');
    const role = await adminCall(ROLE_ERRORS, () => c.var.admin.updateRole(id, changes));
    return c.json(toAuth0Role(role), 200);
  });

  app.openapi({ ...remove, middleware: [auth.require('delete:roles')] }, async (c) => {
    const { id } = c.req.valid('param');
    await adminCall(ROLE_ERRORS, () => c.var.admin.removeRole(id));
    return c.body(null, 204);
  });

  app.openapi({ ...listPermissions, middleware: [auth.require('read:roles')] }, async (c) => {
    const { id } = c.req.valid('param');
    const permissions = await adminCall(ROLE_ERRORS, () => c.var.admin.listRolePermissions(id));
    const page = pageOf('permissions', permissions.map(toAuth0RolePermission), c.req.valid('query'));
    return c.json(page as z.infer<typeof RolePermissionList>, 200);
  });

  app.openapi({ ...addPermissions, middleware: [auth.require('update:roles')] }, async (c) => {
    const { id } = c.req.valid('param');
    const permissions = permissionsOf(c.req.valid('json'));
    await adminCall(ROLE_ERRORS, () => c.var.admin.addRolePermissions(id, permissions));
    return c.body(null, 201);
  });

  app.openapi({ ...removePermissions, middleware: [auth.require('update:roles')] }, async (c) => {
    const { id } = c.req.valid('param');
    const permissions = permissionsOf(c.req.valid('json'));
    await adminCall(ROLE_ERRORS, () => c.var.admin.removeRolePermissions(id, permissions));
    return c.body(null, 204);
  });

  app.openapi({ ...listUsers, middleware: [auth.require('read:role_members')] }, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const checkpoint = query.from !== undefined || query.take !== undefined;
    if (checkpoint && (query.page !== undefined || query.per_page !== undefined)) {
      throw new ManagementError(
        400,
        'invalid_query_string',
        "Query validation error: 'page and per_page do not go with from and take' on property from.",
      );
    }
    if (checkpoint) {
      // Checkpoint paging: `next` is the id of the last user of the page; the next page starts after it.
      const take = query.take ?? DEFAULT_PER_PAGE;
      const { users } = await adminCall(ROLE_ERRORS, () =>
        c.var.admin.listRoleUsers(id, { take: take + 1, ...(query.from ? { after: query.from } : {}) }),
      );
      const items = users.slice(0, take);
      const next = users.length > take ? items.at(-1)?.id : undefined;
      return c.json(
        { users: items.map(toAuth0RoleUser), ...(next === undefined ? {} : { next }) } as z.infer<
          typeof RoleUserList
        >,
        200,
      );
    }
    const perPage = query.per_page ?? DEFAULT_PER_PAGE;
    const start = (query.page ?? 0) * perPage;
    const { users, total } = await adminCall(ROLE_ERRORS, () =>
      c.var.admin.listRoleUsers(id, { take: perPage, offset: start }),
    );
    const items = users.map(toAuth0RoleUser);
    const body = query.include_totals
      ? { start, limit: perPage, length: items.length, total, users: items }
      : items;
    return c.json(body as z.infer<typeof RoleUserList>, 200);
  });

  app.openapi({ ...assignUsers, middleware: [auth.require('create:role_members')] }, async (c) => {
    const { id } = c.req.valid('param');
    const { users } = c.req.valid('json');
    await adminCall(ROLE_ERRORS, () => c.var.admin.assignRoleUsers(id, users));
    return c.body(null, 200);
  });
}
