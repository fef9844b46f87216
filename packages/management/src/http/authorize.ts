import { isMissingToken, isOAuthError } from '@warden/protocol';
import {
  checkPolicies,
  createVerifier,
  type Principal,
  requireScopes,
  toBearerErrorResponse,
  type Verifier,
} from '@warden/resource';
import {
  ADMINISTRATOR_ROLE,
  Admin,
  type AdminActor,
  CONSOLE_CLIENT_ID,
  type ServerContext,
} from '@warden/server';
import type { Context, MiddlewareHandler } from 'hono';
import { ManagementError } from './management-error.js';
import { managementRateLimit, type RequestLimiter } from './rate-limit.js';

/** What a request handler of the management API gets from its authorization step. */
export interface ManagementEnv {
  Variables: {
    /** The verified caller. */
    principal: Principal;
    /** The domain operations, acting as the caller (for the audit log). */
    admin: Admin;
  };
}

export interface ManagementAuthOptions {
  ctx: ServerContext;
  /** The management API's identifier, the audience its tokens must name. */
  audience: string;
  /** How the verifier reaches the idp's JWKS and revocation feed (in process: the server's app). */
  fetch: typeof fetch;
}

/**
 * Authorization of the management API: every request carries a bearer access token for its
 * audience, checked by `@warden/resource`'s verifier (the code every API runs: signature against
 * the idp's JWKS, `iss`, `aud`, times, `typ: at+jwt`, the revocation feed), then each route's
 * scopes with `requireScopes`. Two kinds of caller are taken: an M2M client with a
 * client_credentials token, and an administrator signed in to the console (a user token of the
 * console's built-in client whose user holds the role `warden:admin` when the request is made, so
 * removing the role ends their access at once). Any other user token is refused (403): any
 * signed-in user could ask for one.
 *
 * The verifier is made on the first request, so an idp whose management API is never called
 * follows no revocation feed. `close()` stops it.
 */
export class ManagementAuth {
  readonly #options: ManagementAuthOptions;
  readonly #limit: RequestLimiter;
  #verifier: Verifier | undefined;

  constructor(options: ManagementAuthOptions) {
    this.#options = options;
    this.#limit = managementRateLimit(options.ctx);
  }

  /** The issuer whose management API this is. */
  get issuer(): string {
    return this.#options.ctx.config.issuer;
  }

  /** Middleware that lets a request through when its token carries every one of `scopes`. */
  require(...scopes: string[]): MiddlewareHandler<ManagementEnv> {
    const policy = requireScopes(...scopes);
    return async (c, next) => {
      const verifier = this.#verifierNow();
      let principal: Principal;
      try {
        principal = await verifier.verify({ method: c.req.method, headers: c.req.raw.headers });
      } catch (error) {
        throw refusal(error, verifier.realm, scopes);
      }
      // Every request of a verified caller counts, those refused for their scopes too.
      await this.#limit(principal, c);
      try {
        checkPolicies(principal, [policy]);
      } catch (error) {
        throw refusal(error, verifier.realm, scopes);
      }
      await this.#requireManager(principal);
      c.set('principal', principal);
      c.set('admin', new Admin(this.#options.ctx, actorOf(principal, c)));
      await next();
    };
  }

  async close(): Promise<void> {
    const verifier = this.#verifier;
    this.#verifier = undefined;
    await verifier?.close();
  }

  #verifierNow(): Verifier {
    if (this.#verifier) return this.#verifier;
    const { ctx, audience, fetch } = this.#options;
    this.#verifier = createVerifier({
      issuer: ctx.config.issuer,
      audience,
      fetch,
      clock: ctx.config.clock,
      logger: ctx.config.logger,
      revocation: {},
    });
    return this.#verifier;
  }

  /**
   * The token must be a client_credentials token (sub = client_id) of an M2M client that exists,
   * or the console's token of a user who is an administrator now.
   */
  async #requireManager(principal: Principal): Promise<void> {
    const { ctx } = this.#options;
    if (principal.sub === principal.clientId) {
      if ((await ctx.registry.client(principal.clientId))?.type === 'm2m') return;
    } else if (principal.clientId === CONSOLE_CLIENT_ID) {
      const roles = await ctx.storage.roles.forUser(principal.sub);
      if (roles.some((role) => role.name === ADMINISTRATOR_ROLE)) return;
      throw new ManagementError(
        403,
        'insufficient_scope',
        `The console is for administrators of Warden: the user needs the role ${ADMINISTRATOR_ROLE}`,
      );
    }
    throw new ManagementError(
      403,
      'insufficient_scope',
      "The management API takes client_credentials tokens of machine-to-machine clients, and the console's tokens of administrators",
    );
  }
}

/** The verifier's or policy's refusal as Auth0 words it, with the RFC 6750 challenge header. */
function refusal(error: unknown, realm: string, scopes: string[]): unknown {
  if (!isOAuthError(error)) return error;
  const { status, headers } = toBearerErrorResponse(error, realm);
  const challenge: Record<string, string> = {};
  if (headers['www-authenticate']) challenge['www-authenticate'] = headers['www-authenticate'];
  if (isMissingToken(error))
    return new ManagementError(status, undefined, 'Missing authentication', challenge);
  if (error.error === 'insufficient_scope') {
    return new ManagementError(
      status,
      'insufficient_scope',
      `Insufficient scope, expected all of: ${scopes.join(' ')}`,
      challenge,
    );
  }
  const message = error.description ? `${capitalize(error.description)}` : 'Invalid token';
  return new ManagementError(status, error.error, message, challenge);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Who acts: the M2M client, or the administrator through the console, from the address and user agent of the request. */
function actorOf(principal: Principal, c: Context): AdminActor {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const ip = incoming?.socket?.remoteAddress;
  const userAgent = c.req.header('user-agent');
  return {
    kind: 'management',
    clientId: principal.clientId,
    ...(principal.sub !== principal.clientId ? { userId: principal.sub } : {}),
    ...(ip ? { ip } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}
