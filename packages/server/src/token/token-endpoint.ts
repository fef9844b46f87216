import { OAuthError } from '@warden/protocol';
import { clientFields, userFields } from '../audit/entry-fields.js';
import { noStoreJson } from '../http/json-response.js';
import { type Params, readFormBody } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import type { Client } from '../storage/storage.js';
import { authenticateClient, readBasicCredentials } from './authenticate-client.js';
import { exchangeAuthorizationCode } from './authorization-code-grant.js';
import { issueClientCredentials } from './client-credentials-grant.js';
import { GRANTS_BY_CLIENT_TYPE } from './client-grant-types.js';
import { RefreshTokenReused, refreshTokens } from './refresh-token-grant.js';

/** The audit code of a failed exchange, by grant type (Auth0's). */
const failedExchange: Partial<Record<string, 'feacft' | 'fertft' | 'feccft'>> = {
  authorization_code: 'feacft',
  refresh_token: 'fertft',
  client_credentials: 'feccft',
};

/**
 * `POST /oauth/token` (RFC 6749 §3.2): authenticate the client, then run its grant. A refused
 * exchange of a known grant type is recorded in the audit log (the grants record their successes).
 */
export async function handleTokenRequest(ctx: ServerContext, request: Request): Promise<Response> {
  const params = await readFormBody(request, ctx.config.maxBodySize);
  const grantType = params.require('grant_type');
  let client: Client | undefined;
  try {
    ({ client } = await authenticateClient(request, params, ctx.registry));
    const allowed = GRANTS_BY_CLIENT_TYPE[client.type];
    const known = ['authorization_code', 'refresh_token', 'client_credentials'];
    if (!known.includes(grantType)) {
      throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported`);
    }
    if (!allowed.includes(grantType)) {
      throw new OAuthError('unauthorized_client', `this client may not use grant_type "${grantType}"`);
    }
    const body =
      grantType === 'authorization_code'
        ? await exchangeAuthorizationCode(ctx, client, params)
        : grantType === 'refresh_token'
          ? await refreshTokens(ctx, client, params)
          : await issueClientCredentials(ctx, client, params);
    return noStoreJson(body);
  } catch (error) {
    await recordFailedExchange(ctx, request, params, grantType, client, error);
    throw error;
  }
}

/**
 * Records a refused exchange (`feacft`, `fertft`, `feccft`; `ferrt` for a reused refresh token,
 * whose family is now revoked). The client is the authenticated one, else the one the request
 * names when it exists (the credentials were wrong); an unknown client id is not written.
 */
async function recordFailedExchange(
  ctx: ServerContext,
  request: Request,
  params: Params,
  grantType: string,
  authenticated: Client | undefined,
  error: unknown,
): Promise<void> {
  const type = failedExchange[grantType];
  if (type === undefined || !(error instanceof OAuthError)) return;
  const client = authenticated ?? (await claimedClient(ctx, request, params));
  const reused = error instanceof RefreshTokenReused ? error.token : undefined;
  const user = reused ? await ctx.storage.users.get(reused.userId) : undefined;
  await ctx.audit.record({
    type: reused ? 'ferrt' : type,
    ...(client ? clientFields(client) : {}),
    ...(user ? userFields(user) : reused ? { userId: reused.userId } : {}),
    description: error.description,
    details: {
      error: error.error,
      grant_type: grantType,
      ...(reused ? { family_revoked: true } : {}),
    },
  });
}

/** The registered client the request names (Basic or `client_id`), whatever its credentials. */
async function claimedClient(
  ctx: ServerContext,
  request: Request,
  params: Params,
): Promise<Client | undefined> {
  let clientId: string | undefined;
  try {
    clientId =
      readBasicCredentials(request.headers.get('authorization'))?.clientId ?? params.get('client_id');
  } catch {
    return undefined;
  }
  return clientId === undefined ? undefined : ctx.registry.client(clientId);
}
