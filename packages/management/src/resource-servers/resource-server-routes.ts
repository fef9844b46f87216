import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import { adminCall, type ResourceErrors } from '../http/admin-call.js';
import type { ManagementAuth, ManagementEnv } from '../http/authorize.js';
import { pageOf, selectFields } from '../http/paging.js';
import { errorResponses, jsonAnswer, jsonBody, needs } from '../http/route-parts.js';
import { apiChanges, apiInput, toAuth0ResourceServer } from './auth0-resource-server.js';
import {
  CreateResourceServerBody,
  GetResourceServerQuery,
  ListResourceServersQuery,
  ResourceServer,
  ResourceServerIdParams,
  ResourceServerList,
  UpdateResourceServerBody,
} from './resource-server-schemas.js';

/** How the domain's refusals about APIs are answered. */
export const RESOURCE_SERVER_ERRORS: ResourceErrors = {
  notFound: 'inexistent_resource_server',
  conflict: 'resource_server_conflict',
  fields: {
    identifier: 'identifier',
    name: 'name',
    alg: 'signing_alg',
    scope: 'scopes',
    ttl: 'token_lifetime',
    rbac: 'enforce_policies',
  },
};

const tags = ['Resource servers'];

const list = createRoute({
  method: 'get',
  path: '/resource-servers',
  tags,
  summary: 'List APIs',
  security: needs('read:resource_servers'),
  request: { query: ListResourceServersQuery },
  responses: {
    200: jsonAnswer('The APIs, oldest first, the management API among them.', ResourceServerList),
    ...errorResponses(400, 401, 403),
  },
});

const create = createRoute({
  method: 'post',
  path: '/resource-servers',
  tags,
  summary: 'Create an API',
  security: needs('create:resource_servers'),
  request: { body: jsonBody(CreateResourceServerBody) },
  responses: { 201: jsonAnswer('The new API.', ResourceServer), ...errorResponses(400, 401, 403, 409, 415) },
});

const get = createRoute({
  method: 'get',
  path: '/resource-servers/{id}',
  tags,
  summary: 'Get an API',
  security: needs('read:resource_servers'),
  request: { params: ResourceServerIdParams, query: GetResourceServerQuery },
  responses: { 200: jsonAnswer('The API.', ResourceServer), ...errorResponses(400, 401, 403, 404) },
});

const update = createRoute({
  method: 'patch',
  path: '/resource-servers/{id}',
  tags,
  summary: 'Update an API',
  description:
    'Changes the fields given; the identifier never changes. The management API itself cannot be changed.',
  security: needs('update:resource_servers'),
  request: { params: ResourceServerIdParams, body: jsonBody(UpdateResourceServerBody) },
  responses: {
    200: jsonAnswer('The API as it is now.', ResourceServer),
    ...errorResponses(400, 401, 403, 404, 415),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/resource-servers/{id}',
  tags,
  summary: 'Delete an API',
  description:
    "Deletes the API, the role permissions for it and the clients' grants of it. Tokens already issued for it stay valid until they expire. The management API itself cannot be deleted.",
  security: needs('delete:resource_servers'),
  request: { params: ResourceServerIdParams },
  responses: { 204: { description: 'Deleted.' }, ...errorResponses(400, 401, 403, 404) },
});

/** `/resource-servers`: Auth0's resource server endpoints over the domain's API operations. */
export function resourceServerRoutes(app: OpenAPIHono<ManagementEnv>, auth: ManagementAuth): void {
  const issuer = auth.issuer;

  app.openapi({ ...list, middleware: [auth.require('read:resource_servers')] }, async (c) => {
    const query = c.req.valid('query');
    const identifiers = query.identifiers === undefined ? undefined : new Set([query.identifiers].flat());
    const apis = (await c.var.admin.listApis())
      .filter((api) => identifiers === undefined || identifiers.has(api.identifier))
      .map((api) => selectFields(toAuth0ResourceServer(api, issuer), query));
    return c.json(pageOf('resource_servers', apis, query) as z.infer<typeof ResourceServerList>, 200);
  });

  app.openapi({ ...create, middleware: [auth.require('create:resource_servers')] }, async (c) => {
    const input = apiInput(c.req.valid('json'));
    const api = await adminCall(RESOURCE_SERVER_ERRORS, () => c.var.admin.addApi(input));
    return c.json(toAuth0ResourceServer(api, issuer), 201);
  });

  app.openapi({ ...get, middleware: [auth.require('read:resource_servers')] }, async (c) => {
    const { id } = c.req.valid('param');
    const api = await adminCall(RESOURCE_SERVER_ERRORS, () => c.var.admin.getApi(id));
    const body = selectFields(toAuth0ResourceServer(api, issuer), c.req.valid('query'));
    return c.json(body as z.infer<typeof ResourceServer>, 200);
  });

  app.openapi({ ...update, middleware: [auth.require('update:resource_servers')] }, async (c) => {
    const { id } = c.req.valid('param');
    const changes = apiChanges(c.req.valid('json'));
    const api = await adminCall(RESOURCE_SERVER_ERRORS, () => c.var.admin.updateApi(id, changes));
    return c.json(toAuth0ResourceServer(api, issuer), 200);
  });

  app.openapi({ ...remove, middleware: [auth.require('delete:resource_servers')] }, async (c) => {
    const { id } = c.req.valid('param');
    await adminCall(RESOURCE_SERVER_ERRORS, () => c.var.admin.removeApi(id));
    return c.body(null, 204);
  });
}
