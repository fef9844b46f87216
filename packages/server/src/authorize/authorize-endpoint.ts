import type { Params } from '../http/read-params.js';
import { readFormBody, readQuery } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import {
  checkAuthorizationParams,
  checkClientAndRedirectUri,
  RedirectableError,
} from './authorization-request.js';
import { continueAuthorization, sendError } from './continue-authorization.js';

/**
 * `GET|POST /authorize`. Until the client and its redirect URI are known, errors are thrown for
 * the error page; after that they go back to the client (RFC 6749 §4.1.2.1).
 */
export async function handleAuthorizationRequest(ctx: ServerContext, request: Request): Promise<Response> {
  const options = { allowRepeated: true };
  const params: Params =
    request.method === 'POST'
      ? await readFormBody(request, ctx.config.maxBodySize, options)
      : readQuery(request, options);
  const { client, redirectUri } = await checkClientAndRedirectUri(params, ctx.lookups);
  let accepted: Awaited<ReturnType<typeof checkAuthorizationParams>>;
  try {
    accepted = await checkAuthorizationParams(params, client, redirectUri, ctx.lookups);
  } catch (error) {
    if (!(error instanceof RedirectableError)) throw error;
    const target = { redirectUri, ...error.target };
    return sendError(ctx, target, error.error.error, error.error.description);
  }
  const session = await ctx.sso.load(request);
  return continueAuthorization(ctx, accepted, client, session);
}
