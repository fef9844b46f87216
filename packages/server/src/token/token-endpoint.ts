import { OAuthError } from '@warden/protocol';
import { noStoreJson } from '../http/json-response.js';
import { readFormBody } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import { authenticateClient } from './authenticate-client.js';
import { exchangeAuthorizationCode } from './authorization-code-grant.js';
import { issueClientCredentials } from './client-credentials-grant.js';
import { refreshTokens } from './refresh-token-grant.js';

/** Grant types each kind of client may use. */
const grantsByType = {
  spa: ['authorization_code', 'refresh_token'],
  native: ['authorization_code', 'refresh_token'],
  web: ['authorization_code', 'refresh_token'],
  m2m: ['client_credentials'],
} as const;

/** `POST /oauth/token` (RFC 6749 §3.2): authenticate the client, then run its grant. */
export async function handleTokenRequest(ctx: ServerContext, request: Request): Promise<Response> {
  const params = await readFormBody(request, ctx.config.maxBodySize);
  const grantType = params.require('grant_type');
  const { client } = await authenticateClient(request, params, ctx.registry);
  const allowed: readonly string[] = grantsByType[client.type];
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
}
