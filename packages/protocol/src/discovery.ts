import { OAuthError } from './oauth-error.js';
import { unreachable } from './to-oauth-error.js';

/** The members of the idp's metadata (OIDC Discovery, RFC 8414) the client uses. */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  end_session_endpoint?: string;
  revocation_endpoint?: string;
  userinfo_endpoint?: string;
  /** RFC 9207: the idp puts `iss` in every authorization response. */
  authorization_response_iss_parameter_supported?: boolean;
  id_token_signing_alg_values_supported?: string[];
}

/** `<issuer>/.well-known/openid-configuration` (OIDC Discovery 4.1: the issuer's trailing slash dropped). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

/**
 * Fetches the idp's metadata and checks it: a JSON object whose `issuer` equals `issuer` exactly
 * (OIDC Discovery 4.3) and whose `authorization_endpoint`, `token_endpoint` and `jwks_uri` are
 * absolute URLs. It does NOT check optional members beyond their type. Failures throw
 * `OAuthError` (`temporarily_unavailable` when the idp cannot be reached, `server_error` for a
 * bad document).
 */
export async function fetchMetadata(
  issuer: string,
  fetch: typeof globalThis.fetch,
): Promise<ProviderMetadata> {
  let response: Response;
  try {
    response = await fetch(discoveryUrl(issuer), { headers: { accept: 'application/json' } });
  } catch (cause) {
    throw unreachable('the identity provider', cause);
  }
  if (!response.ok) throw invalid(`the discovery document answered ${response.status}`);
  const metadata = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (typeof metadata !== 'object' || metadata === null) throw invalid('the discovery document is not JSON');
  if (metadata.issuer !== issuer) throw invalid('the discovery document names another issuer');
  for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
    if (!isAbsoluteUrl(metadata[name])) throw invalid(`the discovery document has no valid ${name}`);
  }
  for (const name of ['end_session_endpoint', 'revocation_endpoint', 'userinfo_endpoint']) {
    if (metadata[name] !== undefined && !isAbsoluteUrl(metadata[name])) delete metadata[name];
  }
  return metadata as unknown as ProviderMetadata;
}

function isAbsoluteUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function invalid(description: string): OAuthError {
  return new OAuthError('server_error', description);
}
