import { isOAuthError } from '@warden/protocol';
import { authenticate, queryOf, toParameterRecord, wantsFormBody } from '../authenticate.js';
import { toBearerErrorResponse } from '../bearer-challenge.js';
import { resolveVerifier, type Verifier } from '../create-verifier.js';
import { checkPolicyList, type Policy } from '../policy.js';
import type { Principal } from '../principal.js';
import type { RequestLike } from '../token-locations.js';
import type { VerifierOptions } from '../verifier-options.js';

/** A fetch-style handler that runs only for a verified caller. */
export type ProtectedHandler<Rest extends unknown[] = []> = (
  request: Request,
  auth: Principal,
  ...rest: Rest
) => Response | Promise<Response>;

/**
 * Wraps a fetch-style handler (`(request) => Response`, as in Deno, Bun, Cloudflare Workers or
 * Node with a fetch adapter) so it runs only for a verified caller who meets `policies`:
 *
 * ```ts
 * const verifier = createVerifier({ issuer, audience });
 * export default { fetch: protect(verifier, (request, auth) => Response.json({ hello: auth.sub })) };
 * ```
 *
 * On failure it answers with the error's status, JSON body and `WWW-Authenticate`, without
 * calling the handler. Errors that are not about the request are rethrown. With the `body`
 * location on, a form body is read from a clone, so the handler can still read it. Extra
 * arguments (an env, a context) are passed through. Throws `TypeError` for bad options or
 * policies.
 */
export function protect<Rest extends unknown[] = []>(
  verifierOrOptions: Verifier | VerifierOptions,
  handler: ProtectedHandler<Rest>,
  ...policies: Policy[]
): (request: Request, ...rest: Rest) => Promise<Response> {
  const { verifier } = resolveVerifier(verifierOrOptions);
  if (typeof handler !== 'function') throw new TypeError('protect: handler must be a function');
  const checked = checkPolicyList('protect', policies);
  return async (request, ...rest) => {
    let principal: Principal;
    try {
      principal = await authenticate(verifier, await toRequestLike(request, verifier), checked);
    } catch (error) {
      if (!isOAuthError(error)) throw error;
      return toErrorResponse(error, verifier.realm);
    }
    return handler(request, principal, ...rest);
  };
}

/** The answer to a failed request as a `Response` (see `toBearerErrorResponse`). */
export function toErrorResponse(error: unknown, realm: string): Response {
  const answer = toBearerErrorResponse(error, realm);
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
}

/** The parts of a fetch `Request` the verifier reads (the body only when it may hold the token). */
export async function toRequestLike(request: Request, verifier: Verifier): Promise<RequestLike> {
  const { method, headers } = request;
  const out: RequestLike = { method, headers };
  if (verifier.tokenLocations.includes('query')) out.query = queryOf(request.url);
  if (wantsFormBody(verifier, method, headers.get('content-type'))) {
    out.body = toParameterRecord(new URLSearchParams(await request.clone().text()));
  }
  return out;
}
