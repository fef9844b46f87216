export { type AcceptSessionsOptions, acceptSessions } from './accept-sessions.js';
export { authenticate } from './authenticate.js';
export { type BearerErrorResponse, bearerChallenge, toBearerErrorResponse } from './bearer-challenge.js';
export {
  createVerifier,
  isVerifier,
  type Verifier,
  type VerifierStatus,
} from './create-verifier.js';
export {
  checkPolicies,
  type Policy,
  requirePermissions,
  requirePrincipal,
  requireRoles,
  requireScopes,
} from './policy.js';
export { type Principal, toPrincipal } from './principal.js';
export { isRevocationView, type RevocationView } from './revocation-view.js';
export { extractToken, isMissingToken, type RequestLike } from './token-locations.js';
export {
  type JwkSet,
  type RevocationOptions,
  type TokenLocation,
  VERIFIER_DEFAULTS,
  type VerifierLogger,
  type VerifierOptions,
} from './verifier-options.js';
