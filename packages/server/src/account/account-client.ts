import type { AuthorizationRequest } from '../authorize/authorization-request.js';
import type { Client } from '../storage/storage.js';

/** The idp's own account page, as a built-in first-party client (never stored, never listed). */
export const ACCOUNT_CLIENT_ID = 'warden-account';

/** Where the account page lives under the issuer. */
export const ACCOUNT_PATH = '/account';

/**
 * The account page's client: confidential with no secret, so no token can ever be had for it, and
 * a sign-in for it ends back at the page with the SSO session, never with a code
 * (`continueAuthorization`). Every connection is offered to it, so users can sign in and link any
 * upstream account.
 */
export function accountClient(issuer: string): Client {
  return {
    clientId: ACCOUNT_CLIENT_ID,
    name: 'your account',
    type: 'web',
    secretHash: null,
    redirectUris: [`${issuer}${ACCOUNT_PATH.slice(1)}`],
    allowedOrigins: [],
    postLogoutRedirectUris: [`${issuer}${ACCOUNT_PATH.slice(1)}`],
    apis: [],
    apiScopes: {},
    thirdParty: false,
    legacyImplicit: false,
    createdAt: 0,
  };
}

/** A sign-in (or link) for the account page, as `/authorize` would have accepted it. */
export function accountRequest(
  issuer: string,
  prompt: AuthorizationRequest['prompt'] = [],
): AuthorizationRequest {
  return {
    clientId: ACCOUNT_CLIENT_ID,
    redirectUri: accountClient(issuer).redirectUris[0]!,
    responseType: 'code',
    responseMode: 'query',
    scopes: ['openid'],
    audience: null,
    prompt,
  };
}
