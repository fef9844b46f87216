import { oidcScopes } from '../authorize/authorization-request.js';
import type { ServerConfig } from '../config.js';
import type { Storage } from '../storage/storage.js';

/**
 * OpenID Provider / OAuth 2.0 Authorization Server Metadata (OIDC Discovery §3, RFC 8414). The
 * same document answers both well-known paths.
 */
export async function buildMetadata(
  config: ServerConfig,
  storage: Storage,
): Promise<Record<string, unknown>> {
  const url = (path: string) => new URL(path, config.issuer).toString();
  const apis = await storage.apis.list();
  const algs = [...new Set(['RS256', ...apis.map((api) => api.signingAlg)])];
  return {
    issuer: config.issuer,
    authorization_endpoint: url('authorize'),
    token_endpoint: url('oauth/token'),
    userinfo_endpoint: url('userinfo'),
    jwks_uri: url('.well-known/jwks.json'),
    revocation_endpoint: url('oauth/revoke'),
    introspection_endpoint: url('oauth/introspect'),
    end_session_endpoint: url('logout'),
    scopes_supported: [...oidcScopes, ...new Set(apis.flatMap((api) => api.scopes))],
    response_types_supported: ['code', 'id_token token', 'id_token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'implicit'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    userinfo_signing_alg_values_supported: ['none'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'at_hash',
      'sid',
      'name',
      'nickname',
      'preferred_username',
      'picture',
      'updated_at',
      'email',
      'email_verified',
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    access_token_signing_alg_values_supported: algs,
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
  };
}
