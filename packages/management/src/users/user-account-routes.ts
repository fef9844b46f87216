import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { adminCall } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { pageOf } from '../http/paging.js';
import { errorResponses, jsonAnswer, needs } from '../http/route-parts.js';
import { toAuth0AuthenticationMethod, toAuth0Identities, toAuth0Session } from './auth0-user.js';
import { USER_PART_ERRORS as PART_ERRORS, USER_ERRORS } from './user-errors.js';
import {
  AuthenticationMethodList,
  AuthenticationMethodParams,
  Identity,
  IdentityParams,
  ListAuthenticationMethodsQuery,
  ListSessionsQuery,
  SessionList,
  SessionParams,
  UserIdParams,
} from './user-schemas.js';

const tags = ['Users'];

const listSessions = createRoute({
  method: 'get',
  path: '/users/{id}/sessions',
  tags,
  summary: "List a user's sessions",
  description: 'The live single sign-on sessions of the user, most recently used first.',
  security: needs('read:sessions'),
  request: { params: UserIdParams, query: ListSessionsQuery },
  responses: { 200: jsonAnswer('The sessions.', SessionList), ...errorResponses(400, 401, 403, 404) },
});

const endSessions = createRoute({
  method: 'delete',
  path: '/users/{id}/sessions',
  tags,
  summary: 'End every session of a user',
  description:
    "Signs the user out everywhere: every session ends, every refresh token is revoked, and APIs following the revocation feed refuse the user's access tokens.",
  security: needs('delete:sessions'),
  request: { params: UserIdParams },
  responses: { 204: { description: 'Ended.' }, ...errorResponses(400, 401, 403, 404) },
});

const endSession = createRoute({
  method: 'delete',
  path: '/users/{id}/sessions/{session_id}',
  tags,
  summary: "End one of a user's sessions",
  description:
    "Warden's own path (Auth0 has DELETE /sessions/{id}): the session ends and the refresh tokens it issued are revoked.",
  security: needs('delete:sessions'),
  request: { params: SessionParams },
  responses: { 204: { description: 'Ended.' }, ...errorResponses(400, 401, 403, 404) },
});

const unlink = createRoute({
  method: 'delete',
  path: '/users/{id}/identities/{provider}/{user_id}',
  tags,
  summary: 'Unlink an upstream account from a user',
  description:
    "The upstream account (provider, its user id there) no longer signs this user in; signing in with it again makes a new user. Refused when it is the user's only way to sign in.",
  security: needs('update:users'),
  request: { params: IdentityParams },
  responses: {
    200: jsonAnswer("The user's identities left.", Identity.array()),
    ...errorResponses(400, 401, 403, 404),
  },
});

const listMethods = createRoute({
  method: 'get',
  path: '/users/{id}/authentication-methods',
  tags,
  summary: "List a user's authentication methods",
  description: 'The password, when the user has one.',
  security: needs('read:authentication_methods'),
  request: { params: UserIdParams, query: ListAuthenticationMethodsQuery },
  responses: {
    200: jsonAnswer('The methods.', AuthenticationMethodList),
    ...errorResponses(400, 401, 403, 404),
  },
});

const removeMethod = createRoute({
  method: 'delete',
  path: '/users/{id}/authentication-methods/{authentication_method_id}',
  tags,
  summary: "Delete a user's password",
  description:
    'Only when the user has another way to sign in (an upstream account); the password alone is refused with 400.',
  security: needs('delete:authentication_methods'),
  request: { params: AuthenticationMethodParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

/** A user's sessions, identities and authentication methods. */
export function userAccountRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...listSessions, middleware: [auth.require('read:sessions')] }, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const sessions = await adminCall(USER_ERRORS, () => c.var.admin.listUserSessions(id));
    const start =
      query.from === undefined ? 0 : sessions.findIndex((session) => session.id === query.from) + 1;
    const take = query.take ?? 50;
    const page = sessions.slice(start, start + take);
    const more = start + take < sessions.length;
    return c.json(
      {
        sessions: page.map(toAuth0Session),
        ...(more && page.length > 0 ? { next: page.at(-1)!.id } : {}),
        ...(query.include_totals ? { total: sessions.length } : {}),
      },
      200,
    );
  });

  app.openapi({ ...endSessions, middleware: [auth.require('delete:sessions')] }, async (c) => {
    const { id } = c.req.valid('param');
    await adminCall(USER_ERRORS, () => c.var.admin.endUserSessions(id));
    return c.body(null, 204);
  });

  app.openapi({ ...endSession, middleware: [auth.require('delete:sessions')] }, async (c) => {
    const { id, session_id: sessionId } = c.req.valid('param');
    const admin = c.var.admin;
    await adminCall(USER_ERRORS, () => admin.getUser(id));
    await adminCall(PART_ERRORS.session, () => admin.endUserSession(id, sessionId));
    return c.body(null, 204);
  });

  app.openapi({ ...unlink, middleware: [auth.require('update:users')] }, async (c) => {
    const { id, provider, user_id: upstreamId } = c.req.valid('param');
    const admin = c.var.admin;
    const user = await adminCall(USER_ERRORS, () => admin.getUser(id));
    const left = await adminCall(PART_ERRORS.identity, () => admin.unlinkIdentity(id, provider, upstreamId));
    return c.json(toAuth0Identities({ ...user, identities: left }), 200);
  });

  app.openapi({ ...listMethods, middleware: [auth.require('read:authentication_methods')] }, async (c) => {
    const { id } = c.req.valid('param');
    const methods = await adminCall(USER_ERRORS, () => c.var.admin.listAuthenticationMethods(id));
    const body = pageOf('authenticators', methods.map(toAuth0AuthenticationMethod), c.req.valid('query'));
    return c.json(body as z.infer<typeof AuthenticationMethodList>, 200);
  });

  app.openapi({ ...removeMethod, middleware: [auth.require('delete:authentication_methods')] }, async (c) => {
    const { id, authentication_method_id: methodId } = c.req.valid('param');
    const admin = c.var.admin;
    await adminCall(USER_ERRORS, () => admin.getUser(id));
    await adminCall(PART_ERRORS.method, () => admin.removeAuthenticationMethod(id, methodId));
    return c.body(null, 204);
  });
}
