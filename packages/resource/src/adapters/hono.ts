import { isOAuthError } from '@warden/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { authenticate, queryOf, toParameterRecord, wantsFormBody } from '../authenticate.js';
import { toBearerErrorResponse } from '../bearer-challenge.js';
import { resolveVerifier, type Verifier } from '../create-verifier.js';
import { checkPolicyList, type Policy } from '../policy.js';
import type { Principal } from '../principal.js';
import type { RequestLike } from '../token-locations.js';
import type { VerifierOptions } from '../verifier-options.js';

/** The Hono environment `wardenAuth` sets: `c.get('auth')` is the verified caller. */
export type WardenEnv = { Variables: { auth: Principal } };

/**
 * Hono middleware that verifies the bearer token and checks `policies`:
 *
 * ```ts
 * const auth = createVerifier({ issuer, audience });
 * app.get('/api/dragons', wardenAuth(auth), (c) => c.json(dragons));
 * app.get('/api/orders', wardenAuth(auth, requireRoles('admin')), (c) => c.json(orders));
 * ```
 *
 * On success `c.get('auth')` is the `Principal`; on failure it answers with the error's status,
 * JSON body and `WWW-Authenticate` and the handler does not run. Errors that are not about the
 * request are rethrown to Hono's `onError`. With the `body` location on, a form body is read
 * through `c.req.parseBody()`, which Hono caches for the handler. Throws `TypeError` for bad
 * options or policies.
 */
export function wardenAuth(
  verifierOrOptions: Verifier | VerifierOptions,
  ...policies: Policy[]
): MiddlewareHandler<WardenEnv> {
  const { verifier } = resolveVerifier(verifierOrOptions);
  const checked = checkPolicyList('wardenAuth', policies);
  return async (c, next) => {
    let principal: Principal;
    try {
      principal = await authenticate(verifier, await toRequestLike(c, verifier), checked);
    } catch (error) {
      if (!isOAuthError(error)) throw error;
      const answer = toBearerErrorResponse(error, verifier.realm);
      return c.json(answer.body, answer.status as 400, answer.headers);
    }
    c.set('auth', principal);
    await next();
  };
}

async function toRequestLike(c: Context, verifier: Verifier): Promise<RequestLike> {
  const { method, headers } = c.req.raw;
  const request: RequestLike = { method, headers };
  if (verifier.tokenLocations.includes('query')) request.query = queryOf(c.req.url);
  if (wantsFormBody(verifier, method, headers.get('content-type'))) {
    request.body = toParameterRecord(new URLSearchParams(await c.req.text()));
  }
  return request;
}
