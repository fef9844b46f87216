import { OAuthError } from '@warden/protocol';
import { clientFields } from '../audit/entry-fields.js';
import type { Params } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import type { Client } from '../storage/storage.js';
import type { TokenResponseBody } from './issue-user-tokens.js';

/**
 * `grant_type=client_credentials` for machine-to-machine clients (the article's "non-interactive
 * clients"): a token for one API the client is authorized for, with the scopes granted to it (all
 * the API's scopes, or those of its grant, `Client.apiScopes`, that the API still defines), or the
 * subset of them asked for. No refresh token and no id token.
 */
export async function issueClientCredentials(
  ctx: ServerContext,
  client: Client,
  params: Params,
): Promise<TokenResponseBody> {
  if (client.type !== 'm2m') {
    throw new OAuthError('unauthorized_client', 'client_credentials is for machine-to-machine clients');
  }
  const audience = params.get('audience');
  const resources = params.getAll('resource');
  if (resources.length > 1) throw new OAuthError('invalid_target', 'only one resource may be requested');
  const resource = resources[0];
  if (audience !== undefined && resource !== undefined && audience !== resource) {
    throw new OAuthError('invalid_target', 'audience and resource name different APIs');
  }
  const identifier = audience ?? resource ?? (client.apis.length === 1 ? client.apis[0] : undefined);
  if (identifier === undefined) throw new OAuthError('invalid_request', 'say which API: send "audience"');
  const api = client.apis.includes(identifier) ? await ctx.registry.api(identifier) : undefined;
  if (!api) throw new OAuthError('invalid_target', 'this client is not authorized for that API');
  const grant = client.apiScopes[identifier];
  const granted = grant ? api.scopes.filter((scope) => grant.includes(scope)) : api.scopes;
  let scopes = granted;
  const requested = params.get('scope');
  if (requested !== undefined) {
    scopes = [...new Set(requested.split(' ').filter(Boolean))];
    for (const scope of scopes) {
      if (!api.scopes.includes(scope))
        throw new OAuthError('invalid_scope', `scope "${scope}" is not defined by the API`);
      if (!granted.includes(scope))
        throw new OAuthError('invalid_scope', `scope "${scope}" is not granted to this client`);
    }
  }
  const access = await ctx.tokens.accessToken({ clientId: client.clientId, userId: null, scopes, api });
  await ctx.audit.record({
    type: 'seccft',
    ...clientFields(client),
    details: { audience: api.identifier, scope: scopes.join(' ') },
  });
  return {
    access_token: access.token,
    token_type: 'Bearer',
    expires_in: access.expiresIn,
    scope: scopes.join(' '),
  };
}
