/**
 * The light half of the protocol vocabulary, without JOSE: OAuth errors, base64url, PKCE, random
 * tokens, hashing, unverified JWT decoding and the revocation set. Browser code that must stay small
 * imports `@warden/protocol/core`, so the JOSE half can load later (`@warden/protocol/jwt`).
 */
export {
  hashBitsOf,
  isJweAlg,
  isJweEnc,
  isJwsAlg,
  isSigningAlg,
  JWE_ALGORITHMS,
  JWE_ENCRYPTION_ALGORITHMS,
  JWS_ALGORITHMS,
  type JweAlg,
  type JweEnc,
  type JwsAlg,
  REFUSED_ALGORITHMS,
  SIGNING_ALGORITHMS,
  type SigningAlg,
} from './algorithms.js';
export { decodeBase64Url, encodeBase64Url, tryDecodeBase64Url } from './base64url.js';
export { bearerChallenge, isMissingToken, missingTokenError } from './bearer-challenge.js';
export { type DecodedJwt, decodeJwt } from './decode-jwt.js';
export { hasControlCharacter } from './has-control-character.js';
export { sha256, sha256Base64Url, sha256Hex, timingSafeEqual } from './hash.js';
export {
  defaultStatusFor,
  isOAuthError,
  OAUTH_ERROR_CODES,
  OAuthError,
  type OAuthErrorBody,
  type OAuthErrorCode,
  type OAuthErrorOptions,
  toOAuthErrorBody,
} from './oauth-error.js';
export {
  computeCodeChallenge,
  createCodeVerifier,
  isCodeVerifier,
  isS256CodeChallenge,
  verifyCodeChallenge,
} from './pkce.js';
export { randomToken } from './random.js';
export {
  type RevocableClaims,
  type RevocationEntry,
  type RevocationKind,
  RevocationSet,
} from './revocation-set.js';
