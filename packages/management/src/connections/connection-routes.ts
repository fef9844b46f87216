import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { adminCall, type ResourceErrors } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { ManagementError } from '../http/management-error.js';
import { DEFAULT_PER_PAGE, pageOf, selectFields } from '../http/paging.js';
import { errorResponses, jsonAnswer, jsonBody, needs } from '../http/route-parts.js';
import { connectionChanges, connectionInput, toAuth0Connection } from './auth0-connection.js';
import {
  Connection,
  ConnectionIdParams,
  ConnectionList,
  CreateConnectionBody,
  GetConnectionQuery,
  ListConnectionsQuery,
  UpdateConnectionBody,
} from './connection-schemas.js';

/** How the domain's refusals about connections are answered (settings are named under `options`). */
export const CONNECTION_ERRORS: ResourceErrors = {
  notFound: 'inexistent_connection',
  conflict: 'connection_conflict',
  fields: {
    name: 'name',
    type: 'strategy',
    'display-name': 'display_name',
    'enable-for': 'enabled_clients',
    scope: 'options.scope',
  },
  otherField: (flag) => `options.${flag.replaceAll('-', '_')}`,
};

const tags = ['Connections'];

const list = createRoute({
  method: 'get',
  path: '/connections',
  tags,
  summary: 'List connections',
  description: 'By name. Offset paging (page, per_page, include_totals) or checkpoint paging (from, take).',
  security: needs('read:connections'),
  request: { query: ListConnectionsQuery },
  responses: { 200: jsonAnswer('The connections.', ConnectionList), ...errorResponses(400, 401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/connections',
  tags,
  summary: 'Create a connection',
  description:
    'An upstream sign-in method. Its settings are checked (an OpenID Provider is discovered) before it is stored.',
  security: needs('create:connections'),
  request: { body: jsonBody(CreateConnectionBody) },
  responses: {
    201: jsonAnswer('The new connection.', Connection),
    ...errorResponses(400, 401, 403, 409, 415),
  },
});

const get = createRoute({
  method: 'get',
  path: '/connections/{id}',
  tags,
  summary: 'Get a connection',
  security: needs('read:connections'),
  request: { params: ConnectionIdParams, query: GetConnectionQuery },
  responses: { 200: jsonAnswer('The connection.', Connection), ...errorResponses(400, 401, 403, 404) },
});

const update = createRoute({
  method: 'patch',
  path: '/connections/{id}',
  tags,
  summary: 'Update a connection',
  description: `The settings given in options replace the stored ones of the same name; the password database takes only enabled_clients.`,
  security: needs('update:connections'),
  request: { params: ConnectionIdParams, body: jsonBody(UpdateConnectionBody) },
  responses: {
    200: jsonAnswer('The connection as it is now.', Connection),
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/connections/{id}',
  tags,
  summary: 'Delete a connection',
  description: 'Its users stay; their identities at it go. The password database cannot be deleted.',
  security: needs('delete:connections'),
  request: { params: ConnectionIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

/** `/connections`: Auth0's connection endpoints over the domain's connection operations. */
export function connectionRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...list, middleware: [auth.require('read:connections')] }, async (c) => {
    const query = c.req.valid('query');
    const strategies = query.strategy === undefined ? undefined : new Set([query.strategy].flat());
    const connections = (await c.var.admin.listConnections())
      .map(toAuth0Connection)
      .filter((connection) => strategies === undefined || strategies.has(connection.strategy))
      .filter((connection) => query.name === undefined || connection.name === query.name);
    if (query.from === undefined && query.take === undefined) {
      const page = connections.map((connection) => selectFields(connection, query));
      return c.json(pageOf('connections', page, query) as z.infer<typeof ConnectionList>, 200);
    }
    if (query.page !== undefined || query.per_page !== undefined) {
      throw new ManagementError(
        400,
        'invalid_query_string',
        "Query validation error: 'page and per_page do not go with from and take' on property from.",
      );
    }
    // Checkpoint paging: `from` is the name of the first connection of the page (they come by name).
    const start =
      query.from === undefined ? 0 : connections.findIndex((connection) => connection.name >= query.from!);
    const take = query.take ?? DEFAULT_PER_PAGE;
    const items = start < 0 ? [] : connections.slice(start, start + take);
    const next = start < 0 ? undefined : connections[start + take]?.name;
    return c.json(
      {
        connections: items.map((connection) => selectFields(connection, query)),
        ...(next === undefined ? {} : { next }),
      } as z.infer<typeof ConnectionList>,
      200,
    );
  });

  app.openapi({ ...create, middleware: [auth.require('create:connections')] }, async (c) => {
    const input = connectionInput(c.req.valid('json'));
    const connection = await adminCall(CONNECTION_ERRORS, () => c.var.admin.addConnection(input));
    return c.json(toAuth0Connection(connection), 201);
  });

  app.openapi({ ...get, middleware: [auth.require('read:connections')] }, async (c) => {
    const { id } = c.req.valid('param');
    const connection = await adminCall(CONNECTION_ERRORS, () => c.var.admin.getConnection(id));
    return c.json(
      selectFields(toAuth0Connection(connection), c.req.valid('query')) as z.infer<typeof Connection>,
      200,
    );
  });

  app.openapi({ ...update, middleware: [auth.require('update:connections')] }, async (c) => {
    const { id } = c.req.valid('param');
    const changes = connectionChanges(c.req.valid('json'), id);
    const connection = await adminCall(CONNECTION_ERRORS, () => c.var.admin.updateConnection(id, changes));
    return c.json(toAuth0Connection(connection), 200);
  });

  app.openapi({ ...remove, middleware: [auth.require('delete:connections')] }, async (c) => {
    const { id } = c.req.valid('param');
    await adminCall(CONNECTION_ERRORS, () => c.var.admin.removeConnection(id));
    return c.body(null, 204);
  });
}
