import { isOAuthError } from '@warden/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { authenticateNow, queryOf, withEveryAuthorization } from '../authenticate.js';
import { toBearerErrorResponse } from '../bearer-challenge.js';
import { isVerifier, resolveVerifier, type Verifier } from '../create-verifier.js';
import { checkPolicyList, type Policy } from '../policy.js';
import type { Principal } from '../principal.js';
import type { RequestLike } from '../token-locations.js';
import type { VerifierOptions } from '../verifier-options.js';

/**
 * A Fastify `preHandler` that verifies the caller (callback style: it calls `done` at once when
 * the verifier answers synchronously, sparing the request a promise).
 */
export type AuthenticateHook = (
  request: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, set by `fastify.authenticate(...)`; null on routes without it. */
    auth: Principal | null;
  }
  interface FastifyInstance {
    /** A preHandler that verifies the bearer token and checks `policies`. */
    authenticate(...policies: Policy[]): AuthenticateHook;
    /** The verifier the plugin uses. */
    warden: Verifier;
  }
}

/** The plugin's options: a verifier, or the options to build one. */
export type WardenPluginOptions = { verifier: Verifier } | VerifierOptions;

/**
 * Fastify plugin: decorates the instance with `authenticate(...policies)` (a preHandler factory)
 * and `warden` (the verifier), and every request with `auth`:
 *
 * ```ts
 * await app.register(wardenPlugin, { issuer, audience });
 * app.get('/api/dragons', { preHandler: app.authenticate() }, async (request) => dragons);
 * app.get('/api/orders', { preHandler: app.authenticate(requireRoles('admin')) }, async () => orders);
 * ```
 *
 * Registered without encapsulation (as `fastify-plugin` would), so the decorators reach every
 * route. On failure the preHandler answers (status, JSON, `WWW-Authenticate`) and the handler
 * does not run; errors that are not about the request go to Fastify's error handler. A verifier
 * built from options is closed with the instance. Fastify does not parse form bodies by itself:
 * register a parser for `application/x-www-form-urlencoded` (e.g. `@fastify/formbody`) when the
 * `body` location is on.
 */
export async function wardenPlugin(fastify: FastifyInstance, options: WardenPluginOptions): Promise<void> {
  const { verifier, owned } = resolveVerifier(
    isVerifier((options as { verifier?: unknown }).verifier)
      ? (options as { verifier: Verifier }).verifier
      : (options as VerifierOptions),
  );
  fastify.decorate('warden', verifier);
  fastify.decorateRequest('auth', null);
  fastify.decorate('authenticate', (...policies: Policy[]) => createAuthenticateHook(verifier, ...policies));
  if (owned) fastify.addHook('onClose', async () => verifier.close());
}

Object.assign(wardenPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: '@warden/resource',
});

/** The preHandler on its own, for apps that do not register the plugin. */
export function createAuthenticateHook(verifier: Verifier, ...policies: Policy[]): AuthenticateHook {
  const checked = checkPolicyList('authenticate', policies);
  const refuse = (error: unknown, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    if (!isOAuthError(error)) {
      done(error as Error);
      return;
    }
    // Answered here: `done` is not called, so the handler does not run.
    const answer = toBearerErrorResponse(error, verifier.realm);
    reply.code(answer.status).headers(answer.headers).send(answer.body);
  };
  return (request, reply, done) => {
    let result: Principal | Promise<Principal>;
    try {
      result = authenticateNow(verifier, toRequestLike(request, verifier), checked);
    } catch (error) {
      refuse(error, reply, done);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (principal) => {
          request.auth = principal;
          done();
        },
        (error: unknown) => refuse(error, reply, done),
      );
    } else {
      request.auth = result;
      done();
    }
  };
}

function toRequestLike(request: FastifyRequest, verifier: Verifier): RequestLike {
  const like: RequestLike = {
    method: request.method,
    headers: withEveryAuthorization(request.headers, request.raw.rawHeaders),
  };
  const locations = verifier.tokenLocations;
  if (locations.length === 1 && locations[0] === 'header') return like;
  if (locations.includes('query')) like.query = queryOf(request.url);
  if (locations.includes('body')) like.body = request.body as Record<string, unknown> | null;
  return like;
}
