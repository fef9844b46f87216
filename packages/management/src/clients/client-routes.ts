import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { adminCall, type ResourceErrors } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { ManagementError } from '../http/management-error.js';
import { pageOf, selectFields } from '../http/paging.js';
import { errorResponses, jsonAnswer, jsonBody, needs } from '../http/route-parts.js';
import { clientChanges, clientInput, toAuth0Client } from './auth0-client.js';
import {
  APP_TYPES,
  type AppType,
  Client,
  ClientIdParams,
  ClientList,
  CreateClientBody,
  GetClientQuery,
  ListClientsQuery,
  UpdateClientBody,
} from './client-schemas.js';

/** How the domain's refusals about clients are answered. */
export const CLIENT_ERRORS: ResourceErrors = {
  notFound: 'inexistent_client',
  conflict: 'client_conflict',
  fields: {
    type: 'app_type',
    name: 'name',
    callback: 'callbacks',
    origin: 'allowed_origins',
    'logout-url': 'allowed_logout_urls',
  },
};

const tags = ['Clients'];

const list = createRoute({
  method: 'get',
  path: '/clients',
  tags,
  summary: 'List clients',
  security: needs('read:clients'),
  request: { query: ListClientsQuery },
  responses: { 200: jsonAnswer('The clients, oldest first.', ClientList), ...errorResponses(400, 401, 403) },
});

const create = createRoute({
  method: 'post',
  path: '/clients',
  tags,
  summary: 'Create a client',
  description:
    'Answers the client with its client_secret (regular_web and non_interactive): the only time it is shown. The client offers the password database (Username-Password-Authentication).',
  security: needs('create:clients'),
  request: { body: jsonBody(CreateClientBody) },
  responses: { 201: jsonAnswer('The new client.', Client), ...errorResponses(400, 401, 403, 409, 415) },
});

const get = createRoute({
  method: 'get',
  path: '/clients/{id}',
  tags,
  summary: 'Get a client',
  security: needs('read:clients'),
  request: { params: ClientIdParams, query: GetClientQuery },
  responses: { 200: jsonAnswer('The client.', Client), ...errorResponses(400, 401, 403, 404) },
});

const update = createRoute({
  method: 'patch',
  path: '/clients/{id}',
  tags,
  summary: 'Update a client',
  description:
    'Changes the fields given. app_type may change only between spa and native, or between regular_web and non_interactive.',
  security: needs('update:clients'),
  request: { params: ClientIdParams, body: jsonBody(UpdateClientBody) },
  responses: {
    200: jsonAnswer('The client as it is now.', Client),
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/clients/{id}',
  tags,
  summary: 'Delete a client',
  description:
    'Deletes the client with its codes, refresh tokens and consents; its access tokens go on the revocation feed, so APIs that follow it refuse them.',
  security: needs('delete:clients'),
  request: { params: ClientIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

const rotateSecret = createRoute({
  method: 'post',
  path: '/clients/{id}/rotate-secret',
  tags,
  summary: "Rotate a client's secret",
  description: 'A new generated secret, answered once; the old one stops working at once.',
  security: needs('update:client_keys'),
  request: { params: ClientIdParams },
  responses: {
    200: jsonAnswer('The client with its new client_secret.', Client),
    ...errorResponses(400, 401, 403, 404),
  },
});

/** `/clients`: Auth0's client endpoints over the domain's client operations. */
export function clientRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  app.openapi({ ...list, middleware: [auth.require('read:clients')] }, async (c) => {
    const query = c.req.valid('query');
    const types = appTypesFilter(query.app_type);
    const clients = (await c.var.admin.listClients())
      .filter((client) => types === undefined || types.has(client.type))
      .filter((client) => query.is_first_party === undefined || client.thirdParty !== query.is_first_party)
      .filter(() => query.is_global !== true)
      .map((client) => selectFields(toAuth0Client(client), query));
    return c.json(pageOf('clients', clients, query) as z.infer<typeof ClientList>, 200);
  });

  app.openapi({ ...create, middleware: [auth.require('create:clients')] }, async (c) => {
    const admin = c.var.admin;
    const created = await adminCall(CLIENT_ERRORS, () => admin.addClient(clientInput(c.req.valid('json'))));
    const client = await adminCall(CLIENT_ERRORS, () => admin.getClient(created.client_id));
    return c.json(toAuth0Client(client, created.client_secret), 201);
  });

  app.openapi({ ...get, middleware: [auth.require('read:clients')] }, async (c) => {
    const { id } = c.req.valid('param');
    const client = await adminCall(CLIENT_ERRORS, () => c.var.admin.getClient(id));
    return c.json(selectFields(toAuth0Client(client), c.req.valid('query')) as z.infer<typeof Client>, 200);
  });

  app.openapi({ ...update, middleware: [auth.require('update:clients')] }, async (c) => {
    const { id } = c.req.valid('param');
    const admin = c.var.admin;
    const current = await adminCall(CLIENT_ERRORS, () => admin.getClient(id));
    const changes = clientChanges(c.req.valid('json'), current);
    const client = await adminCall(CLIENT_ERRORS, () => admin.updateClient(id, changes));
    return c.json(toAuth0Client(client), 200);
  });

  app.openapi({ ...remove, middleware: [auth.require('delete:clients')] }, async (c) => {
    const { id } = c.req.valid('param');
    await adminCall(CLIENT_ERRORS, () => c.var.admin.removeClient(id));
    return c.body(null, 204);
  });

  app.openapi({ ...rotateSecret, middleware: [auth.require('update:client_keys')] }, async (c) => {
    const { id } = c.req.valid('param');
    const rotated = await adminCall(CLIENT_ERRORS, () => c.var.admin.rotateClientSecret(id));
    return c.json(toAuth0Client(rotated.client, rotated.client_secret), 200);
  });
}

/** `app_type=spa,native` as Warden's client types; an app type Warden does not have is refused. */
function appTypesFilter(value: string | undefined): Set<string> | undefined {
  if (value === undefined) return undefined;
  const types = new Set<string>();
  for (const name of value.split(',')) {
    if (!Object.hasOwn(APP_TYPES, name)) {
      throw new ManagementError(
        400,
        'invalid_query_string',
        `Query validation error: '${name} is not an app type of Warden (${Object.keys(APP_TYPES).join(', ')})' on property app_type.`,
      );
    }
    types.add(APP_TYPES[name as AppType]);
  }
  return types;
}
