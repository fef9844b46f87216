import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { parseUserQuery } from '@warden/server';
import { adminCall } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { ManagementError } from '../http/management-error.js';
import { DEFAULT_PER_PAGE, selectFields } from '../http/paging.js';
import { errorResponses, jsonAnswer, jsonBody, needs } from '../http/route-parts.js';
import { toAuth0User, userChanges, userInput } from './auth0-user.js';
import { userAccountRoutes } from './user-account-routes.js';
import { USER_ERRORS } from './user-errors.js';
import {
  CreateUserBody,
  GetUserQuery,
  ListUsersQuery,
  UpdateUserBody,
  User,
  UserIdParams,
  UserList,
  UsersByEmailQuery,
} from './user-schemas.js';

const tags = ['Users'];

const list = createRoute({
  method: 'get',
  path: '/users',
  tags,
  summary: 'List or search users',
  description:
    "Oldest first (sort=created_at:-1: newest first). q takes a subset of Auth0's search syntax, each served by an index; anything else is refused with 400 naming it.",
  security: needs('read:users'),
  request: { query: ListUsersQuery },
  responses: { 200: jsonAnswer('The users.', UserList), ...errorResponses(400, 401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/users',
  tags,
  summary: 'Create a user',
  description: 'A user of the password database (Username-Password-Authentication), with a password.',
  security: needs('create:users'),
  request: { body: jsonBody(CreateUserBody) },
  responses: { 201: jsonAnswer('The new user.', User), ...errorResponses(400, 401, 403, 409, 415) },
});

const get = createRoute({
  method: 'get',
  path: '/users/{id}',
  tags,
  summary: 'Get a user',
  security: needs('read:users'),
  request: { params: UserIdParams, query: GetUserQuery },
  responses: { 200: jsonAnswer('The user.', User), ...errorResponses(400, 401, 403, 404) },
});

const update = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags,
  summary: 'Update, block or unblock a user',
  description:
    'Changes the fields given (null clears an optional one). A new email is unverified unless email_verified is given. blocked: true ends every session of the user and revokes their refresh tokens.',
  security: needs('update:users'),
  request: { params: UserIdParams, body: jsonBody(UpdateUserBody) },
  responses: {
    200: jsonAnswer('The user as they are now.', User),
    ...errorResponses(400, 401, 403, 404, 409, 415),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/users/{id}',
  tags,
  summary: 'Delete a user',
  description:
    "Ends the user's sessions, revokes their tokens (APIs following the revocation feed refuse their access tokens), and deletes them with their identities, roles and consents.",
  security: needs('delete:users'),
  request: { params: UserIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

const byEmail = createRoute({
  method: 'get',
  path: '/users-by-email',
  tags,
  summary: 'Find users by email',
  description: 'The user whose email is this one in any letter case: a list of none or one.',
  security: needs('read:users'),
  request: { query: UsersByEmailQuery },
  responses: { 200: jsonAnswer('The users.', User.array()), ...errorResponses(400, 401, 403) },
});

/** `/users` and `/users-by-email`: Auth0's user endpoints over the domain's user operations. */
export function userRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...list, middleware: [auth.require('read:users')] }, async (c) => {
    const query = c.req.valid('query');
    checkQuery(query.q);
    const perPage = query.per_page ?? DEFAULT_PER_PAGE;
    const page = query.page ?? 0;
    const found = await adminCall(USER_ERRORS, () =>
      c.var.admin.searchUsers({
        ...(query.q === undefined ? {} : { q: query.q }),
        page,
        perPage,
        descending: query.sort === 'created_at:-1',
        total: query.include_totals === true,
      }),
    );
    const users = found.users.map((user) => selectFields(toAuth0User(user), query));
    const body = query.include_totals
      ? { start: page * perPage, limit: perPage, length: users.length, total: found.total ?? 0, users }
      : users;
    return c.json(body as z.infer<typeof UserList>, 200);
  });

  app.openapi({ ...create, middleware: [auth.require('create:users')] }, async (c) => {
    const admin = c.var.admin;
    const created = await adminCall(USER_ERRORS, () => admin.addUser(userInput(c.req.valid('json'))));
    const user = await adminCall(USER_ERRORS, () => admin.getUser(created.user_id));
    return c.json(toAuth0User(user), 201);
  });

  app.openapi({ ...get, middleware: [auth.require('read:users')] }, async (c) => {
    const { id } = c.req.valid('param');
    const user = await adminCall(USER_ERRORS, () => c.var.admin.getUser(id));
    return c.json(selectFields(toAuth0User(user), c.req.valid('query')) as z.infer<typeof User>, 200);
  });

  app.openapi({ ...update, middleware: [auth.require('update:users')] }, async (c) => {
    const { id } = c.req.valid('param');
    const changes = userChanges(c.req.valid('json'));
    const user = await adminCall(USER_ERRORS, () => c.var.admin.updateUser(id, changes));
    return c.json(toAuth0User(user), 200);
  });

  app.openapi({ ...remove, middleware: [auth.require('delete:users')] }, async (c) => {
    const { id } = c.req.valid('param');
    await adminCall(USER_ERRORS, () => c.var.admin.removeUser(id));
    return c.body(null, 204);
  });

  app.openapi({ ...byEmail, middleware: [auth.require('read:users')] }, async (c) => {
    const query = c.req.valid('query');
    const users = await adminCall(USER_ERRORS, () => c.var.admin.usersByEmail(query.email));
    return c.json(users.map((user) => selectFields(toAuth0User(user), query)) as z.infer<typeof User>[], 200);
  });

  userAccountRoutes(app, auth);
}

/** A `q` the search does not read is refused as a query error naming what (never ignored). */
function checkQuery(q: string | undefined): void {
  if (q === undefined) return;
  const parsed = parseUserQuery(q);
  if (!parsed.ok) {
    throw new ManagementError(
      400,
      'invalid_query_string',
      `Query validation error: '${parsed.problem}' on property q.`,
    );
  }
}
