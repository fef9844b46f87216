import { constants } from 'node:crypto';
import type { JwsAlg } from '../../algorithms.js';

export type NodeHash = 'sha256' | 'sha384' | 'sha512';

/** How `node:crypto` signs and verifies one JWS algorithm (RFC 7518 section 3, RFC 8037). */
export type NodeAlgorithm =
  | { kind: 'hmac'; hash: NodeHash }
  | { kind: 'rsa'; hash: NodeHash; padding: number; saltLength?: number }
  | { kind: 'ecdsa'; hash: NodeHash; curve: EcdsaCurve }
  | { kind: 'eddsa' };

/** A NIST curve as ECDSA signatures need it: scalar size in bytes and the group order `n`. */
export interface EcdsaCurve {
  readonly name: 'P-256' | 'P-384' | 'P-521';
  readonly size: number;
  readonly order: Uint8Array;
}

const { RSA_PKCS1_PADDING, RSA_PKCS1_PSS_PADDING } = constants;

function curve(name: EcdsaCurve['name'], orderHex: string): EcdsaCurve {
  const order = Uint8Array.from(Buffer.from(orderHex, 'hex'));
  return Object.freeze({ name, size: order.length, order });
}

const P256 = curve('P-256', 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const P384 = curve(
  'P-384',
  'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
);
const P521 = curve(
  'P-521',
  '01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
);

const ALGORITHMS: Record<JwsAlg, NodeAlgorithm> = {
  HS256: { kind: 'hmac', hash: 'sha256' },
  HS384: { kind: 'hmac', hash: 'sha384' },
  HS512: { kind: 'hmac', hash: 'sha512' },
  RS256: { kind: 'rsa', hash: 'sha256', padding: RSA_PKCS1_PADDING },
  RS384: { kind: 'rsa', hash: 'sha384', padding: RSA_PKCS1_PADDING },
  RS512: { kind: 'rsa', hash: 'sha512', padding: RSA_PKCS1_PADDING },
  // RFC 7518 3.5: MGF1 with the same hash, salt as long as the hash output (as WebCrypto and jose).
  PS256: { kind: 'rsa', hash: 'sha256', padding: RSA_PKCS1_PSS_PADDING, saltLength: 32 },
  PS384: { kind: 'rsa', hash: 'sha384', padding: RSA_PKCS1_PSS_PADDING, saltLength: 48 },
  PS512: { kind: 'rsa', hash: 'sha512', padding: RSA_PKCS1_PSS_PADDING, saltLength: 64 },
  ES256: { kind: 'ecdsa', hash: 'sha256', curve: P256 },
  ES384: { kind: 'ecdsa', hash: 'sha384', curve: P384 },
  ES512: { kind: 'ecdsa', hash: 'sha512', curve: P521 },
  EdDSA: { kind: 'eddsa' },
};

/** The `node:crypto` parameters of a JWS algorithm. */
export function nodeAlgorithmOf(alg: JwsAlg): NodeAlgorithm {
  return ALGORITHMS[alg];
}
