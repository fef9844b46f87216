import { managementApiIdentifier } from '../admin/apis-admin.js';
import type { Client } from '../storage/storage.js';

/** The console's built-in first-party client (never stored, never listed). */
export const CONSOLE_CLIENT_ID = 'warden-console';

/** Where the console lives under the issuer. */
export const CONSOLE_PATH = '/console/';

/** The role that makes a user an administrator of Warden itself (the console's users). */
export const ADMINISTRATOR_ROLE = 'warden:admin';

/**
 * The console's client: a public single-page app on the issuer's own origin that signs in with
 * code + PKCE and asks for tokens for the management API (`<issuer>api/v2/`). Any signed-in user
 * can get such a token; the management API takes it only from a user who holds
 * {@link ADMINISTRATOR_ROLE} when the request is made, so removing the role ends their access at
 * once. Every connection is offered to it, as to the account page.
 */
export function consoleClient(issuer: string): Client {
  const base = `${issuer}${CONSOLE_PATH.slice(1)}`;
  return {
    clientId: CONSOLE_CLIENT_ID,
    name: 'Warden console',
    type: 'spa',
    secretHash: null,
    redirectUris: [`${base}callback`],
    allowedOrigins: [new URL(issuer).origin],
    postLogoutRedirectUris: [base],
    apis: [managementApiIdentifier(issuer)],
    apiScopes: {},
    thirdParty: false,
    legacyImplicit: false,
    createdAt: 0,
  };
}
