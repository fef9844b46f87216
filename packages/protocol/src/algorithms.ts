/** The JWS algorithms Warden signs with (RFC 7518, RFC 8037). */
export const SIGNING_ALGORITHMS = Object.freeze(['RS256', 'PS256', 'ES256', 'EdDSA'] as const);
export type SigningAlg = (typeof SIGNING_ALGORITHMS)[number];

/**
 * Every JWS algorithm the seam verifies, when a key pins it. `none` is never among them.
 * HMAC algorithms are here for shared-secret keys and test vectors; Warden itself signs only
 * with `SIGNING_ALGORITHMS`.
 */
export const JWS_ALGORITHMS = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'HS256',
  'HS384',
  'HS512',
] as const);
export type JwsAlg = (typeof JWS_ALGORITHMS)[number];

/**
 * JWE key management algorithms the seam decrypts with. `RSA1_5` is deliberately absent
 * (padding-oracle prone): keys and tokens naming it are refused.
 */
export const JWE_ALGORITHMS = Object.freeze([
  'RSA-OAEP',
  'RSA-OAEP-256',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128KW',
  'A192KW',
  'A256KW',
  'dir',
  'A128GCMKW',
  'A192GCMKW',
  'A256GCMKW',
  'PBES2-HS256+A128KW',
  'PBES2-HS384+A192KW',
  'PBES2-HS512+A256KW',
] as const);
export type JweAlg = (typeof JWE_ALGORITHMS)[number];

/** JWE content encryption algorithms (`enc`). */
export const JWE_ENCRYPTION_ALGORITHMS = Object.freeze([
  'A128GCM',
  'A192GCM',
  'A256GCM',
  'A128CBC-HS256',
  'A192CBC-HS384',
  'A256CBC-HS512',
] as const);
export type JweEnc = (typeof JWE_ENCRYPTION_ALGORITHMS)[number];

/** Algorithms that are refused wherever they appear: `none` (no signature) and `RSA1_5`. */
export const REFUSED_ALGORITHMS = Object.freeze(['none', 'RSA1_5'] as const);

const SIGNING = new Set<string>(SIGNING_ALGORITHMS);
const JWS = new Set<string>(JWS_ALGORITHMS);
const JWE = new Set<string>(JWE_ALGORITHMS);
const ENC = new Set<string>(JWE_ENCRYPTION_ALGORITHMS);

/** True for an algorithm Warden signs with (`SIGNING_ALGORITHMS`). */
export function isSigningAlg(value: unknown): value is SigningAlg {
  return typeof value === 'string' && SIGNING.has(value);
}

/** True for a JWS algorithm the seam verifies (`JWS_ALGORITHMS`); false for `none`. */
export function isJwsAlg(value: unknown): value is JwsAlg {
  return typeof value === 'string' && JWS.has(value);
}

/** True for a JWE key management algorithm the seam decrypts with; false for `RSA1_5`. */
export function isJweAlg(value: unknown): value is JweAlg {
  return typeof value === 'string' && JWE.has(value);
}

/** True for a JWE content encryption algorithm (`enc`). */
export function isJweEnc(value: unknown): value is JweEnc {
  return typeof value === 'string' && ENC.has(value);
}

/**
 * The SHA-2 size (256, 384 or 512) an algorithm hashes with: the `HS`/`RS`/`PS`/`ES` suffix, and
 * 512 for `EdDSA` (Ed25519 hashes with SHA-512, which OIDC uses for `at_hash`/`c_hash`).
 * Undefined for anything else.
 */
export function hashBitsOf(alg: string): 256 | 384 | 512 | undefined {
  if (alg === 'EdDSA') return 512;
  const match = /^(?:HS|RS|PS|ES)(256|384|512)$/.exec(alg);
  return match ? (Number(match[1]) as 256 | 384 | 512) : undefined;
}
