import { hashBitsOf } from './algorithms.js';
import { encodeBase64Url } from './base64url.js';

const encoder = new TextEncoder();

/**
 * The OIDC `at_hash` (or `c_hash`) of `accessToken` for an ID token signed with `alg` (OIDC Core
 * 3.1.3.6, 3.3.2.11): the left half of the hash of the ASCII token, base64url. The hash is the
 * one `alg` uses: SHA-256 for RS256/PS256/ES256/HS256, SHA-384 and SHA-512 for the 384/512
 * variants, SHA-512 for EdDSA (Ed25519). Throws `TypeError` for any other `alg`.
 */
export async function computeAtHash(accessToken: string, alg: string): Promise<string> {
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new TypeError('accessToken must be a non-empty string');
  }
  const bits = hashBitsOf(alg);
  if (bits === undefined) throw new TypeError(`alg ${String(alg)} has no at_hash hash`);
  const digest = new Uint8Array(await crypto.subtle.digest(`SHA-${bits}`, encoder.encode(accessToken)));
  return encodeBase64Url(digest.subarray(0, digest.length / 2));
}
