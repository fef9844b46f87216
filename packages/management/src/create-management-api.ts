import { OpenAPIHono } from '@hono/zod-openapi';
import {
  Admin,
  type Api,
  type AuthorizationServer,
  MANAGEMENT_API_PATH,
  managementApiIdentifier,
} from '@warden/server';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { clientRoutes } from './clients/client-routes.js';
import { connectionRoutes } from './connections/connection-routes.js';
import { ManagementAuth, type ManagementEnv } from './http/authorize.js';
import { ManagementError } from './http/management-error.js';
import { SECURITY_SCHEME } from './http/route-parts.js';
import { type ValidationTarget, validationError } from './http/validation-error.js';
import { signingKeyRoutes } from './keys/signing-key-routes.js';
import { logRoutes } from './logs/log-routes.js';
import { MANAGEMENT_API_NAME, MANAGEMENT_SCOPES } from './management-scopes.js';
import { resourceServerRoutes } from './resource-servers/resource-server-routes.js';
import { roleRoutes } from './roles/role-routes.js';
import { userRoleRoutes } from './roles/user-role-routes.js';
import { statRoutes } from './stats/stat-routes.js';
import { userRoutes } from './users/user-routes.js';

/** Where the idp mounts the management API in its app: `/api/v2` (`<issuer>api/v2/`). */
export const MANAGEMENT_MOUNT_PATH = `/${MANAGEMENT_API_PATH.replace(/\/$/, '')}`;

export interface ManagementApi {
  /** The Hono app, with its routes relative to the mount path (`/clients`, `/openapi.json`…). */
  app: OpenAPIHono<ManagementEnv>;
  /** The management API's identifier: `<issuer>api/v2/`, the audience of its tokens. */
  audience: string;
  /** Stops following the revocation feed (started by the first request). */
  close(): Promise<void>;
}

/**
 * Builds the management API of `server`: Auth0's Management API v2 paths, shapes and errors for
 * clients, resource servers, connections and signing keys, over the server's `Admin` (one per
 * request, acting as the calling M2M client). Each route's zod schema validates the request and
 * describes it in the OpenAPI 3.1 document at `openapi.json` (no token needed). The audit log
 * is read at `/logs` and counted at `/stats` straight from `ctx.storage.logs` (reads, so not
 * through `Admin`). Each caller's requests count against `managementRateLimit` (429 past it).
 *
 * Tokens are verified by `@warden/resource` against the server's own JWKS and revocation feed,
 * fetched in process (no network hop). Mount the app with `mountManagementApi`, and register the
 * API (its identifier and scopes) with `registerManagementApi` before tokens can be had for it.
 */
export function createManagementApi(server: AuthorizationServer): ManagementApi {
  const ctx = server.context;
  const { issuer } = ctx.config;
  const audience = managementApiIdentifier(issuer);
  const auth = new ManagementAuth({ ctx, audience, fetch: inProcessFetch(server, issuer) });
  const app = new OpenAPIHono<ManagementEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.target as ValidationTarget, result.error);
    },
  });
  app.use(
    bodyLimit({
      maxSize: ctx.config.maxBodySize,
      onError: () => {
        throw new ManagementError(
          413,
          'payload_too_large',
          `The body is over ${ctx.config.maxBodySize} bytes`,
        );
      },
    }),
  );

  clientRoutes(app, auth);
  resourceServerRoutes(app, auth);
  connectionRoutes(app, auth);
  signingKeyRoutes(app, auth);
  userRoutes(app, auth);
  roleRoutes(app, auth);
  userRoleRoutes(app, auth);
  logRoutes(app, auth, ctx);
  statRoutes(app, auth, ctx);

  app.openAPIRegistry.registerComponent('securitySchemes', SECURITY_SCHEME, {
    type: 'oauth2',
    description:
      'An access token for the audience <issuer>api/v2/, from client_credentials (an M2M client authorized for the management API).',
    flows: {
      clientCredentials: {
        tokenUrl: `${issuer}oauth/token`,
        scopes: Object.fromEntries(MANAGEMENT_SCOPES.map((scope) => [scope.value, scope.description])),
      },
    },
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: MANAGEMENT_API_NAME,
      version: '2',
      description:
        "Warden's management API: the paths, shapes and errors of Auth0's Management API v2 for the resources Warden has. Errors are { statusCode, error, message, errorCode }.",
    },
    servers: [{ url: audience.replace(/\/$/, '') }],
  });

  app.all('*', () => {
    throw new ManagementError(404, undefined, 'Not Found');
  });
  app.onError((error) => answerError(error, ctx.config.logger));

  return { app, audience, close: () => auth.close() };
}

/**
 * Creates the management API of `server` and mounts it at `/api/v2` of the server's app. Call it
 * before the app answers its first request (Hono builds its router then).
 */
export function mountManagementApi(server: AuthorizationServer): ManagementApi {
  const management = createManagementApi(server);
  server.app.route(MANAGEMENT_MOUNT_PATH, management.app);
  return management;
}

/**
 * Registers the management API among the server's APIs, or brings its name and scopes up to date:
 * identifier `<issuer>api/v2/`, RS256, Auth0's management scope names. Safe on every start.
 */
export function registerManagementApi(server: AuthorizationServer): Promise<Api> {
  return new Admin(server.context, { kind: 'system' }).ensureManagementApi(
    MANAGEMENT_API_NAME,
    MANAGEMENT_SCOPES,
  );
}

/** Auth0's error body for anything a route throws; anything unexpected is logged and a 500. */
function answerError(error: unknown, logger: { error(obj: object, msg?: string): void }): Response {
  if (error instanceof ManagementError) return error.toResponse();
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 400)
      return new ManagementError(400, 'invalid_body', 'Invalid request payload JSON format').toResponse();
    if (status === 415)
      return new ManagementError(
        415,
        'invalid_body',
        'The body must be JSON (Content-Type: application/json)',
      ).toResponse();
    if (status < 500) return new ManagementError(status, undefined, error.message).toResponse();
  }
  logger.error({ err: error }, 'management API request failed');
  return new ManagementError(500, undefined, 'Internal error').toResponse();
}

/**
 * A `fetch` that hands requests for the issuer's URLs to the server's app in process, without the
 * issuer's path (the app's routes start at `/`). Only the verifier uses it: for the JWKS and the
 * revocation feed.
 */
function inProcessFetch(server: AuthorizationServer, issuer: string): typeof fetch {
  const base = new URL(issuer);
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new TypeError(`the management API fetches only from its issuer, not ${url.origin}`);
    }
    url.pathname = `/${url.pathname.slice(base.pathname.length)}`;
    return server.fetch(new Request(url, request));
  }) as typeof fetch;
}
