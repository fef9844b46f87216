import { OAuthError } from '@warden/protocol';
import { nowSeconds } from '../config.js';
import { noStoreJson } from '../http/json-response.js';
import { readFormBody } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import { authenticateClient } from '../token/authenticate-client.js';
import { hashToken } from '../tokens/hash-token.js';
import { verifyAccessToken } from '../tokens/verify-access-token.js';

/**
 * `POST /oauth/introspect` (RFC 7662), for confidential clients. Access tokens are verified in full
 * (signature, expiry, revocation feed) and described to the client they were issued to, or to a
 * client authorized for the API they are for (an API's own M2M client); refresh tokens to the
 * client they belong to only. Anything else is `{ "active": false }`.
 */
export async function handleIntrospection(ctx: ServerContext, request: Request): Promise<Response> {
  const params = await readFormBody(request, ctx.config.maxBodySize);
  const { client, method } = await authenticateClient(request, params, ctx.registry);
  if (method === 'none') {
    throw new OAuthError('invalid_client', 'introspection is for confidential clients', { status: 401 });
  }
  const token = params.require('token');
  const hint = params.get('token_type_hint');
  const inactive = noStoreJson({ active: false });
  if (hint !== 'access_token') {
    const refresh = await ctx.storage.refreshTokens.get(hashToken(token));
    if (refresh) {
      const now = nowSeconds(ctx.config);
      const usable =
        refresh.clientId === client.clientId &&
        refresh.spentAt === null &&
        refresh.expiresAt > now &&
        !(await ctx.storage.refreshTokens.familyRevoked(refresh.familyId));
      if (!usable) return inactive;
      return noStoreJson({
        active: true,
        token_type: 'refresh_token',
        scope: refresh.scope,
        client_id: refresh.clientId,
        sub: refresh.userId,
        iss: ctx.config.issuer,
        iat: refresh.createdAt,
        exp: refresh.expiresAt,
      });
    }
  }
  const verified = await verifyAccessToken(ctx, token).catch(() => undefined);
  if (!verified) return inactive;
  const { claims } = verified;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const entitled =
    claims.client_id === client.clientId || audiences.some((aud) => client.apis.includes(String(aud)));
  if (!entitled) return inactive;
  return noStoreJson({ ...claims, active: true, token_type: 'Bearer' });
}
