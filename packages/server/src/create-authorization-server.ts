import { OAuthError } from '@warden/protocol';
import { Hono } from 'hono';
import { ACCOUNT_PATH } from './account/account-client.js';
import { showAccount, startLink, unlinkIdentity } from './account/account-routes.js';
import { requestOrigin, withRequestOrigin } from './audit/request-origin.js';
import { handleAuthorizationRequest } from './authorize/authorize-endpoint.js';
import { resolveServerConfig, type ServerOptions } from './config.js';
import { arriveFromUpstream } from './connections/arrive-from-upstream.js';
import { recordUpstreamFailure } from './connections/complete-upstream-sign-in.js';
import { CONNECTION_START_PATH, startConnection } from './connections/start-connection.js';
import { CONSOLE_SETUP_PATH, showConsoleSetup, submitConsoleSetup } from './console/console-setup.js';
import { buildMetadata } from './endpoints/discovery.js';
import { handleIntrospection } from './endpoints/introspect.js';
import { confirmLogout, handleLogout } from './endpoints/logout.js';
import { handleRevocationFeed } from './endpoints/revocations.js';
import { handleRevocation } from './endpoints/revoke.js';
import { handleUserinfo } from './endpoints/userinfo.js';
import { CorsPolicy } from './http/cors.js';
import { htmlResponse } from './http/html-response.js';
import { rememberNodeBody } from './http/node-body.js';
import { oauthErrorResponse, toOAuthError } from './http/oauth-error-response.js';
import { showConsent, submitConsent } from './interaction/consent.js';
import { showLogin, submitLogin } from './interaction/login.js';
import { showSignup, submitSignup } from './interaction/signup.js';
import { ErrorPage } from './pages/error-page.js';
import { wardenCss, wardenCssPath } from './pages/styles.js';
import { RevocationFeed } from './revocation/revocation-feed.js';
import { createServerContext, type ServerContext } from './server-context.js';
import { handleTokenRequest } from './token/token-endpoint.js';

export interface AuthorizationServer {
  /** The Hono app: mount it, or call `app.fetch` / `app.request` directly. */
  app: Hono;
  fetch: (request: Request, env?: unknown) => Response | Promise<Response>;
  context: ServerContext;
}

type Handler = (ctx: ServerContext, request: Request) => Promise<Response>;

/**
 * Builds the authorization server: discovery, JWKS, `/authorize` with the hosted login, sign-up
 * and consent pages, `/oauth/token`, `/userinfo`, `/oauth/revoke`, `/oauth/introspect` and
 * `/logout`. Nothing here reads the environment: options come from the caller.
 */
export function createAuthorizationServer(options: ServerOptions): AuthorizationServer {
  const config = resolveServerConfig(options);
  const ctx = createServerContext(config);
  const cors = new CorsPolicy(cachedAllowedOrigins(ctx));
  const app = new Hono();
  app.use(async (c, next) => {
    rememberNodeBody(c.req.raw, (c.env as { incoming?: unknown } | undefined)?.incoming);
    // Audit entries written while answering take the request's IP and user agent from here.
    await withRequestOrigin(requestOrigin(c.req.raw, remoteAddress(c.env)), next);
  });

  /** Protocol endpoints answer errors as OAuth JSON. */
  const api =
    (handler: Handler, errors: { bearer?: boolean; basic?: boolean } = {}, withCors = false) =>
    async (c: { req: { raw: Request } }) => {
      let response: Response;
      try {
        response = await handler(ctx, c.req.raw);
      } catch (error) {
        response = oauthErrorResponse(toOAuthError(error, config.logger), errors);
      }
      return withCors ? cors.apply(c.req.raw, response) : response;
    };
  /** Browser-facing endpoints answer errors with the error page. */
  const page = (handler: Handler) => async (c: { req: { raw: Request } }) => {
    try {
      return await handler(ctx, c.req.raw);
    } catch (error) {
      return errorPage(toOAuthError(error, config.logger));
    }
  };

  app.get(wardenCssPath, () => {
    return new Response(wardenCss, {
      headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=86400' },
    });
  });
  app.get('/health', () => Response.json({ status: 'ok' }));

  const metadata = api(
    async () =>
      Response.json(await buildMetadata(config, ctx.storage), {
        headers: { 'cache-control': 'public, max-age=300' },
      }),
    {},
    true,
  );
  for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
    app.get(path, metadata);
    app.options(path, (c) => cors.preflight(c.req.raw, 'GET'));
  }
  app.get(
    '/.well-known/jwks.json',
    api(
      async () =>
        Response.json(await ctx.keys.jwks(), {
          headers: { 'cache-control': 'public, max-age=300, stale-while-revalidate=60' },
        }),
      {},
      true,
    ),
  );
  app.options('/.well-known/jwks.json', (c) => cors.preflight(c.req.raw, 'GET'));

  app.on(['GET', 'POST'], '/authorize', page(handleAuthorizationRequest));
  app.get('/u/login', page(showLogin));
  app.post('/u/login', (c) =>
    page((context, request) => submitLogin(context, request, remoteAddress(c.env)))(c),
  );
  app.get('/u/signup', page(signupEnabled(showSignup)));
  app.post('/u/signup', (c) =>
    page(signupEnabled((context, request) => submitSignup(context, request, remoteAddress(c.env))))(c),
  );
  app.get(CONNECTION_START_PATH, page(startConnection));
  app.get(ACCOUNT_PATH, page(showAccount));
  app.get('/account/link', page(startLink));
  app.post('/account/unlink', page(unlinkIdentity));
  app.get(CONSOLE_SETUP_PATH, page(showConsoleSetup));
  app.post(CONSOLE_SETUP_PATH, page(submitConsoleSetup));
  for (const method of config.upstream) {
    for (const route of method.routes) {
      app.on(
        route.method,
        route.path,
        page(async (context, request) => {
          try {
            return arriveFromUpstream(request, await route.handle(context, request));
          } catch (error) {
            await recordUpstreamFailure(context, error);
            throw error;
          }
        }),
      );
    }
  }
  app.get('/u/consent', page(showConsent));
  app.post('/u/consent', page(submitConsent));
  app.on(['GET', 'POST'], ['/logout', '/v2/logout'], page(handleLogout));
  app.post('/logout/confirm', page(confirmLogout));

  app.post('/oauth/token', api(handleTokenRequest, { basic: true }, true));
  app.options('/oauth/token', (c) => cors.preflight(c.req.raw, 'POST'));
  app.on(['GET', 'POST'], '/userinfo', api(handleUserinfo, { bearer: true }, true));
  app.options('/userinfo', (c) => cors.preflight(c.req.raw, 'GET, POST'));
  app.post('/oauth/revoke', api(handleRevocation, { basic: true }, true));
  app.options('/oauth/revoke', (c) => cors.preflight(c.req.raw, 'POST'));
  const feed = new RevocationFeed(ctx.storage);
  app.get(
    '/oauth/revocations',
    api((context, request) => handleRevocationFeed(context, feed, request)),
  );
  app.post('/oauth/introspect', api(handleIntrospection, { basic: true }));

  app.notFound(() =>
    oauthErrorResponse(new OAuthError('invalid_request', 'no such endpoint', { status: 404 })),
  );
  app.onError((error) => oauthErrorResponse(toOAuthError(error, config.logger)));

  function signupEnabled(handler: Handler): Handler {
    return (context, request) => {
      if (!config.signup) throw new OAuthError('invalid_request', 'sign-up is disabled', { status: 404 });
      return handler(context, request);
    };
  }

  return { app, fetch: app.fetch, context: ctx };
}

function errorPage(error: OAuthError): Response {
  const status = error.status === 401 ? 400 : error.status;
  return htmlResponse(ErrorPage({ error: error.error, description: error.description }), status);
}

/** The peer's address when served by `@hono/node-server` (its `env.incoming` is the Node request). */
function remoteAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

/** Every client's allowed origins, re-read at most once a second. */
function cachedAllowedOrigins(ctx: ServerContext): () => Promise<Set<string>> {
  let cached: { at: number; origins: Set<string> } | undefined;
  return async () => {
    const now = ctx.config.clock();
    if (!cached || now - cached.at > 1000) {
      const clients = await ctx.registry.clients();
      cached = { at: now, origins: new Set(clients.flatMap((client) => client.allowedOrigins)) };
    }
    return cached.origins;
  };
}
