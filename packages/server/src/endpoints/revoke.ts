import { nowSeconds } from '../config.js';
import { readFormBody } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import { authenticateClient } from '../token/authenticate-client.js';
import { hashToken } from '../tokens/hash-token.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';

/**
 * `POST /oauth/revoke` (RFC 7009). A refresh token revokes its whole family; an access token is
 * added to the revocation feed, so every API following it refuses the token within a second.
 * Unknown, invalid or other clients' tokens get the same empty 200, so the endpoint reveals nothing.
 */
export async function handleRevocation(ctx: ServerContext, request: Request): Promise<Response> {
  const params = await readFormBody(request, ctx.config.maxBodySize);
  const { client } = await authenticateClient(request, params, ctx.registry);
  const token = params.require('token');
  const hint = params.get('token_type_hint');
  const refresh = hint === 'access_token' ? undefined : await ctx.storage.refreshTokens.get(hashToken(token));
  if (refresh) {
    if (refresh.clientId === client.clientId) {
      await ctx.storage.refreshTokens.revokeFamily(refresh.familyId, nowSeconds(ctx.config));
    }
  } else if (token.length <= ctx.config.maxTokenSize) {
    const verified = await verifyAccessToken(ctx, token).catch(() => undefined);
    if (verified && verified.claims.client_id === client.clientId) {
      await ctx.revocations.revokeToken(verified.claims.jti, verified.claims.exp);
    }
  }
  return new Response(null, { status: 200, headers: { 'cache-control': 'no-store' } });
}
