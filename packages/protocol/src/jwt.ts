/**
 * The JOSE half: key import and validation, JWS/JWT verification and signing, JWE, key generation,
 * claim checks and at_hash, on top of `jose`.
 */
export {
  ACCESS_TOKEN_REQUIRED_CLAIMS,
  type AccessTokenClaims,
  MAX_NUMERIC_DATE,
  readAccessTokenClaims,
} from './access-token-claims.js';
export { computeAtHash } from './at-hash.js';
export { type ClaimsOptions, checkClaims, type JWTPayload } from './claims.js';
export {
  type EncryptionAlg,
  type GeneratedKey,
  type GenerateKeyOptions,
  generateEncryptionKey,
  generateSigningKey,
  type PrivateJwk,
} from './generate-key.js';
export {
  createIdTokenVerifier,
  type IdTokenChecks,
  type IdTokenClaims,
  type IdTokenVerifier,
  type IdTokenVerifierSettings,
} from './id-token-verifier.js';
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
export { type SignJwtOptions, signJwt } from './sign-jwt.js';
export { type JwsHeader, type VerifiedJws, type VerifyJwsOptions, verifyCompactJws } from './verify-jws.js';
export { type VerifiedJwt, type VerifyJwtOptions, verifyJwt } from './verify-jwt.js';
