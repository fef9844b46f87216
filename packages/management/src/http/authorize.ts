import { isMissingToken, isOAuthError } from '@warden/protocol';
import {
  checkPolicies,
  createVerifier,
  type Principal,
  requireScopes,
  toBearerErrorResponse,
  type Verifier,
} from '@warden/resource';
import { Admin, type AdminActor, type ServerContext } from '@warden/server';
import type { Context, MiddlewareHandler } from 'hono';
import { ManagementError } from './management-error.js';

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
 * scopes with `requireScopes`. Only client_credentials tokens of M2M clients are taken: a token
 * issued to a user is refused (403), since any signed-in user could ask for one.
 *
 * The verifier is made on the first request, so an idp whose management API is never called
 * follows no revocation feed. `close()` stops it.
 */
export class ManagementAuth {
  readonly #options: ManagementAuthOptions;
  #verifier: Verifier | undefined;

  constructor(options: ManagementAuthOptions) {
    this.#options = options;
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
        checkPolicies(principal, [policy]);
      } catch (error) {
        throw refusal(error, verifier.realm, scopes);
      }
      await this.#requireMachineClient(principal);
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

  /** The token must be a client_credentials token (sub = client_id) of an M2M client that exists. */
  async #requireMachineClient(principal: Principal): Promise<void> {
    const client =
      principal.sub === principal.clientId
        ? await this.#options.ctx.registry.client(principal.clientId)
        : undefined;
    if (client?.type !== 'm2m') {
      throw new ManagementError(
        403,
        'insufficient_scope',
        'The management API takes client_credentials tokens of machine-to-machine clients only',
      );
    }
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

/** Who acts: the M2M client, from the address and user agent of the request. */
function actorOf(principal: Principal, c: Context): AdminActor {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const ip = incoming?.socket?.remoteAddress;
  const userAgent = c.req.header('user-agent');
  return {
    kind: 'management',
    clientId: principal.clientId,
    ...(ip ? { ip } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}
