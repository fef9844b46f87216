import { OAuthError } from '@warden/protocol';
import type { Params } from '../http/read-params.js';
import type { Api, Client, Connection } from '../storage/storage.js';

export type ResponseType = 'code' | 'id_token token' | 'id_token';
export type ResponseMode = 'query' | 'fragment' | 'form_post';
export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

/** A validated authorization request (what `/authorize` accepted), kept while the user signs in. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  responseType: ResponseType;
  responseMode: ResponseMode;
  state?: string | undefined;
  nonce?: string | undefined;
  scopes: string[];
  /** The API identifier the access token is for (`audience` or `resource`), or null. */
  audience: string | null;
  codeChallenge?: string | undefined;
  prompt: Prompt[];
  maxAge?: number | undefined;
  loginHint?: string | undefined;
  /** The connection to sign in with (`connection=NAME`, Auth0's parameter), skipping the choice. */
  connection?: string | undefined;
}

/** Scopes every client may ask for; API scopes come from the API named by `audience`. */
export const oidcScopes = ['openid', 'profile', 'email', 'offline_access'] as const;

/** Looks up what the checks need; kept as a function so the checks stay free of storage. */
export interface RequestLookups {
  client(clientId: string): Promise<Client | undefined>;
  api(identifier: string): Promise<Api | undefined>;
  connectionsFor(clientId: string): Promise<Connection[]>;
}

/**
 * Finds the client and the redirect URI. Until both are known, errors must not be sent to the
 * redirect URI (RFC 6749 §4.1.2.1): they are thrown as `invalid_request` / `invalid_client` for
 * the error page to show.
 */
export async function checkClientAndRedirectUri(
  params: Params,
  lookups: RequestLookups,
): Promise<{ client: Client; redirectUri: string }> {
  params.checkNotRepeated(['client_id', 'redirect_uri']);
  const clientId = params.require('client_id');
  const client = await lookups.client(clientId);
  if (!client) throw new OAuthError('invalid_client', 'unknown client_id', { status: 400 });
  if (client.type === 'm2m') {
    throw new OAuthError('unauthorized_client', 'this client is for machine-to-machine use only');
  }
  const redirectUri = checkRedirectUri(params.get('redirect_uri'), client);
  return { client, redirectUri };
}

/**
 * The redirect URI must equal a registered one exactly: same scheme, case, host, port, path and
 * query, compared as strings (RFC 9700 §4.1.3). No prefix, pattern or normalisation matching.
 */
export function checkRedirectUri(redirectUri: string | undefined, client: Client): string {
  if (redirectUri === undefined) {
    throw new OAuthError('invalid_request', 'missing "redirect_uri" parameter');
  }
  if (!client.redirectUris.includes(redirectUri)) {
    throw new OAuthError('invalid_request', 'redirect_uri is not registered for this client');
  }
  return redirectUri;
}

/**
 * Everything after the redirect URI is known. Errors thrown here go back to the client at its
 * redirect URI, so `responseMode` is decided first. A repeated parameter is one of them (a
 * repeated `state` is not echoed back: which one would be meant?).
 */
export async function checkAuthorizationParams(
  params: Params,
  client: Client,
  redirectUri: string,
  lookups: RequestLookups,
): Promise<AuthorizationRequest> {
  const state = params.isRepeated('state') ? undefined : params.get('state');
  let partial: RedirectableError['target'] = {
    responseType: 'code',
    responseMode: asksForTokens(params.get('response_type')) ? 'fragment' : 'query',
    state,
  };
  try {
    params.checkNotRepeated();
    const responseType = checkResponseType(params.get('response_type'), client);
    const fallbackMode: ResponseMode = responseType === 'code' ? 'query' : 'fragment';
    partial = { responseType, responseMode: fallbackMode, state };
    partial = {
      responseType,
      responseMode: checkResponseMode(params.get('response_mode'), responseType),
      state,
    };
    checkUnsupportedParams(params);
    const audience = await checkAudience(params, lookups);
    const api = audience ? await lookups.api(audience) : undefined;
    const scopes = checkScopes(params.get('scope'), client, api);
    const nonce = params.get('nonce');
    if (responseType !== 'code' && !nonce) {
      throw new OAuthError('invalid_request', 'nonce is required for the implicit flow');
    }
    return {
      clientId: client.clientId,
      redirectUri,
      responseType,
      responseMode: partial.responseMode,
      state,
      nonce,
      scopes,
      audience,
      codeChallenge: checkPkce(params, client, responseType),
      prompt: checkPrompt(params.get('prompt')),
      maxAge: checkMaxAge(params.get('max_age')),
      loginHint: params.get('login_hint'),
      connection: await checkConnection(params.get('connection'), client, lookups),
    };
  } catch (error) {
    if (error instanceof OAuthError) throw new RedirectableError(error, partial);
    throw error;
  }
}

/**
 * Whether a response type (even one refused) names tokens, whose errors belong in the fragment
 * where the client looks for them (OAuth 2.0 Multiple Response Types §5).
 */
function asksForTokens(responseType: string | undefined): boolean {
  return (responseType ?? '').split(' ').some((value) => value === 'token' || value === 'id_token');
}

/** An error to be sent to the (already validated) redirect URI. */
export class RedirectableError extends Error {
  constructor(
    readonly error: OAuthError,
    readonly target: { responseType: ResponseType; responseMode: ResponseMode; state?: string | undefined },
  ) {
    super(error.description);
  }
}

/** Request objects and dynamic registration are not supported (OIDC Core §6, §7.2.1). */
export function checkUnsupportedParams(params: Params): void {
  if (params.has('request'))
    throw new OAuthError('request_not_supported', 'request objects are not supported');
  if (params.has('request_uri')) {
    throw new OAuthError('request_uri_not_supported', 'request_uri is not supported');
  }
  if (params.has('registration')) {
    throw new OAuthError('registration_not_supported', 'the registration parameter is not supported');
  }
}

/** `connection=NAME` must name a connection the client offers. */
export async function checkConnection(
  name: string | undefined,
  client: Client,
  lookups: RequestLookups,
): Promise<string | undefined> {
  if (name === undefined) return undefined;
  const offered = await lookups.connectionsFor(client.clientId);
  if (!offered.some((connection) => connection.name === name)) {
    throw new OAuthError('invalid_request', 'the connection is not enabled for this client');
  }
  return name;
}

export function checkResponseType(value: string | undefined, client: Client): ResponseType {
  if (value === undefined) throw new OAuthError('invalid_request', 'missing "response_type" parameter');
  const normalised = value.split(' ').sort().join(' ');
  if (normalised === 'code') return 'code';
  if (normalised === 'id_token token' || normalised === 'id_token') {
    if (!client.legacyImplicit) {
      throw new OAuthError(
        'unauthorized_client',
        'the implicit flow is disabled for this client; use response_type=code with PKCE',
      );
    }
    return normalised;
  }
  throw new OAuthError('unsupported_response_type', `response_type "${value}" is not supported`);
}

export function checkResponseMode(value: string | undefined, responseType: ResponseType): ResponseMode {
  const fallback: ResponseMode = responseType === 'code' ? 'query' : 'fragment';
  if (value === undefined) return fallback;
  if (value !== 'query' && value !== 'fragment' && value !== 'form_post') {
    throw new OAuthError('invalid_request', `response_mode "${value}" is not supported`);
  }
  if (value === 'query' && responseType !== 'code') {
    throw new OAuthError('invalid_request', 'tokens must not be returned in the query string');
  }
  return value;
}

/**
 * The API the access token is for: `audience` (as Auth0 clients send it) or `resource`
 * (RFC 8707); when both are sent they must agree. The API must be registered.
 */
export async function checkAudience(params: Params, lookups: RequestLookups): Promise<string | null> {
  const resources = params.getAll('resource');
  if (resources.length > 1) throw new OAuthError('invalid_target', 'only one resource may be requested');
  const resource = resources[0];
  const audience = params.get('audience');
  if (resource !== undefined && audience !== undefined && resource !== audience) {
    throw new OAuthError('invalid_target', 'audience and resource name different APIs');
  }
  const identifier = audience ?? resource;
  if (identifier === undefined) return null;
  if (resource !== undefined) {
    let url: URL;
    try {
      url = new URL(resource);
    } catch {
      throw new OAuthError('invalid_target', 'resource must be an absolute URI');
    }
    if (url.hash) throw new OAuthError('invalid_target', 'resource must not contain a fragment');
  }
  if (!(await lookups.api(identifier))) throw new OAuthError('invalid_target', 'unknown API');
  return identifier;
}

/**
 * Scopes must be known: the OIDC scopes, plus the scopes the requested API defines. `offline_access`
 * needs a client that can hold refresh tokens.
 */
export function checkScopes(value: string | undefined, client: Client, api: Api | undefined): string[] {
  const requested = value === undefined ? [] : value.split(' ').filter(Boolean);
  const known = new Set<string>([...oidcScopes, ...(api?.scopes ?? [])]);
  for (const scope of requested) {
    if (!known.has(scope)) throw new OAuthError('invalid_scope', `scope "${scope}" is not known`);
  }
  if (client.type === 'm2m' && requested.includes('offline_access')) {
    throw new OAuthError('invalid_scope', 'offline_access is not available to this client');
  }
  return [...new Set(requested)];
}

/**
 * PKCE (RFC 7636) with S256 only: required for public clients and for every implicit-free code
 * flow of a public client; confidential clients may use it and then must use S256 as well.
 */
export function checkPkce(params: Params, client: Client, responseType: ResponseType): string | undefined {
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (responseType !== 'code') {
    if (challenge !== undefined)
      throw new OAuthError('invalid_request', 'PKCE applies to response_type=code');
    return undefined;
  }
  if (challenge === undefined) {
    if (method !== undefined) throw new OAuthError('invalid_request', 'code_challenge is missing');
    if (client.secretHash === null) {
      throw new OAuthError('invalid_request', 'PKCE is required: send code_challenge with method S256');
    }
    return undefined;
  }
  if (method !== 'S256') {
    throw new OAuthError('invalid_request', 'code_challenge_method must be S256 ("plain" is not accepted)');
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    throw new OAuthError('invalid_request', 'code_challenge is not a base64url SHA-256 value');
  }
  return challenge;
}

export function checkPrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const prompts = [...new Set(value.split(' ').filter(Boolean))];
  for (const prompt of prompts) {
    if (prompt !== 'none' && prompt !== 'login' && prompt !== 'consent' && prompt !== 'select_account') {
      throw new OAuthError('invalid_request', `prompt "${prompt}" is not supported`);
    }
  }
  if (prompts.includes('none') && prompts.length > 1) {
    throw new OAuthError('invalid_request', 'prompt=none cannot be combined with other values');
  }
  return prompts as Prompt[];
}

export function checkMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value))
    throw new OAuthError('invalid_request', 'max_age must be a non-negative integer');
  return Number(value);
}
