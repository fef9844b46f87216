/**
 * The OAuth client half, shared by the browser SDK and the backend-for-frontend: discovery, the
 * token endpoint and the idp's error answers. No `jose` here (id_token checks are in `./jwt`), and
 * no I/O of its own: every function that talks to the idp takes the `fetch` to use.
 */
export { discoveryUrl, fetchMetadata, type ProviderMetadata } from './discovery.js';
export { toOAuthError, unreachable } from './to-oauth-error.js';
export { processTokenResponse, requestTokens, type TokenResponse } from './token-endpoint.js';
