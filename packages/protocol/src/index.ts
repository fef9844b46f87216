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
export { computeAtHash } from './at-hash.js';
export { decodeBase64Url, encodeBase64Url, tryDecodeBase64Url } from './base64url.js';
export { type ClaimsOptions, checkClaims, type JWTPayload } from './claims.js';
export { type DecodedJwt, decodeJwt } from './decode-jwt.js';
export {
  type EncryptionAlg,
  type GeneratedKey,
  type GenerateKeyOptions,
  generateEncryptionKey,
  generateSigningKey,
  type PrivateJwk,
} from './generate-key.js';
export { sha256, sha256Base64Url, sha256Hex, timingSafeEqual } from './hash.js';
export {
  type DecryptedJwe,
  type DecryptJweOptions,
  decryptCompactJwe,
  type EncryptCompactOptions,
  encryptCompact,
  type JweHeader,
} from './jwe.js';
export { KeyImportError } from './key-import-error.js';
export {
  type ImportedKey,
  type ImportKeyOptions,
  type ImportKeySetOptions,
  importKey,
  importKeySet,
  type KeySet,
  type KeyType,
  type PublicJwk,
} from './key-set.js';
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
export { type SignJwtOptions, signJwt } from './sign-jwt.js';
export { type JwsHeader, type VerifiedJws, type VerifyJwsOptions, verifyCompactJws } from './verify-jws.js';
export { type VerifiedJwt, type VerifyJwtOptions, verifyJwt } from './verify-jwt.js';
