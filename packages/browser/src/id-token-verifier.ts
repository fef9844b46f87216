/**
 * The one piece of `@warden/protocol/jwt` the SDK needs, in a module of its own so the bundler puts
 * it (and jose) in a chunk loaded on first sign-in or refresh, not with the page.
 */
export { createIdTokenVerifier } from '@warden/protocol/jwt';
