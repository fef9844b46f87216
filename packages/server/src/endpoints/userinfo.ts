import { OAuthError } from '@warden/protocol';
import { noStoreJson } from '../http/json-response.js';
import { type Params, readFormBody } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import { claimsForScopes } from '../tokens/user-claims.js';
import { readBearerToken, verifyAccessToken } from '../tokens/verify-access-token.js';

/** `GET|POST /userinfo` (OIDC Core §5.3): the user's claims for the scopes the token carries. */
export async function handleUserinfo(ctx: ServerContext, request: Request): Promise<Response> {
  let form: Params | undefined;
  if (request.method === 'POST' && request.headers.get('content-type')) {
    form = await readFormBody(request, ctx.config.maxBodySize);
  }
  const token = readBearerToken(request, form?.get('access_token'));
  const { claims, scopes } = await verifyAccessToken(ctx, token, { audience: ctx.config.userinfoAudience });
  if (!scopes.includes('openid')) {
    throw new OAuthError('insufficient_scope', 'the token was not granted the openid scope', {
      scope: 'openid',
    });
  }
  const user = await ctx.storage.users.get(claims.sub);
  if (!user) throw new OAuthError('invalid_token', 'the user no longer exists');
  return noStoreJson({ sub: user.id, ...claimsForScopes(user, scopes) });
}
