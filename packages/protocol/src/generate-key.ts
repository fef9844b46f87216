import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { isSigningAlg, SIGNING_ALGORITHMS, type SigningAlg } from './algorithms.js';
import type { PublicJwk } from './key-set.js';

/** A private JWK: the public members plus the private ones (`d`, and for RSA `p`, `q`, `dp`, `dq`, `qi`). */
export type PrivateJwk = PublicJwk & {
  d: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
};

export interface GeneratedKey<A extends string> {
  kid: string;
  alg: A;
  /** Private JWK with `kid`, `alg`, `use`; keep it secret (it is what `importKey` signs or decrypts with). */
  privateJwk: PrivateJwk;
  /** Public JWK with `kid`, `alg`, `use`, ready for a JWKS. */
  publicJwk: PublicJwk;
}

export interface GenerateKeyOptions {
  /** The key id. Default: the RFC 7638 SHA-256 thumbprint of the public key. */
  kid?: string;
  /** RSA modulus size in bits, 2048 to 8192 in steps of 8. Default 2048. Ignored for EC and OKP. */
  modulusLength?: number;
}

export type EncryptionAlg = 'RSA-OAEP-256' | 'ECDH-ES';

/**
 * A new signing key pair for `alg` (RS256, PS256: RSA with e = 65537; ES256: P-256; EdDSA:
 * Ed25519), exported as JWKs with `use: "sig"`. Throws `TypeError` on bad arguments.
 */
export async function generateSigningKey(
  alg: SigningAlg,
  options: GenerateKeyOptions = {},
): Promise<GeneratedKey<SigningAlg>> {
  if (!isSigningAlg(alg)) throw new TypeError(`alg must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  return generate(alg, 'sig', options);
}

/**
 * A new encryption key pair for `alg` (RSA-OAEP-256: RSA with e = 65537; ECDH-ES: P-256),
 * exported as JWKs with `use: "enc"`. Throws `TypeError` on bad arguments.
 */
export async function generateEncryptionKey(
  alg: EncryptionAlg,
  options: GenerateKeyOptions = {},
): Promise<GeneratedKey<EncryptionAlg>> {
  if (alg !== 'RSA-OAEP-256' && alg !== 'ECDH-ES') throw new TypeError('alg must be RSA-OAEP-256 or ECDH-ES');
  return generate(alg, 'enc', options);
}

async function generate<A extends string>(alg: A, use: 'sig' | 'enc', options: GenerateKeyOptions) {
  const { kid, modulusLength = 2048 } = options;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) {
    throw new TypeError('options.kid must be a non-empty string');
  }
  if (
    !Number.isInteger(modulusLength) ||
    modulusLength < 2048 ||
    modulusLength > 8192 ||
    modulusLength % 8 !== 0
  ) {
    throw new TypeError('options.modulusLength must be a multiple of 8 from 2048 to 8192');
  }
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength });
  const exported = await exportJWK(pair.privateKey);
  const publicMembers = pickPublic(exported);
  const id = kid ?? (await calculateJwkThumbprint(publicMembers, 'sha256'));
  const labels = { kid: id, alg, use };
  return {
    kid: id,
    alg,
    privateJwk: { ...exported, ...labels } as PrivateJwk,
    publicJwk: { ...publicMembers, ...labels } as PublicJwk,
  } satisfies GeneratedKey<A>;
}

function pickPublic(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e } = jwk;
  return Object.fromEntries(
    Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined),
  );
}
