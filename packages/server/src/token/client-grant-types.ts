import type { Client, ClientType } from '../storage/storage.js';

/** The grant types of the token endpoint each client type may use; nothing else decides it. */
export const GRANTS_BY_CLIENT_TYPE: Readonly<Record<ClientType, readonly string[]>> = Object.freeze({
  spa: Object.freeze(['authorization_code', 'refresh_token']),
  native: Object.freeze(['authorization_code', 'refresh_token']),
  web: Object.freeze(['authorization_code', 'refresh_token']),
  m2m: Object.freeze(['client_credentials']),
});

/**
 * What a client may do, in the grant type names of OAuth (and Auth0's `grant_types`): its type's
 * token endpoint grants, and `implicit` when the legacy implicit flow is on for it.
 */
export function clientGrantTypes(client: Pick<Client, 'type' | 'legacyImplicit'>): string[] {
  return [...GRANTS_BY_CLIENT_TYPE[client.type], ...(client.legacyImplicit ? ['implicit'] : [])];
}
