import type { EcdsaCurve } from './node-algorithm-of.js';

/**
 * True when a JWS ECDSA signature (`r || s`, RFC 7518 3.4) has the curve's length and both `r`
 * and `s` lie in [1, n − 1]. A verifier that skips this accepts `r = s = 0` for any message and
 * key (the "psychic signature", CVE-2022-21449). It does NOT verify the signature.
 */
export function hasEcdsaScalarsInRange(signature: Uint8Array, curve: EcdsaCurve): boolean {
  if (signature.length !== 2 * curve.size) return false;
  return isInRange(signature, 0, curve.order) && isInRange(signature, curve.size, curve.order);
}

/**
 * 0 < the scalar at `signature[offset…]` < order, both big-endian and `order.length` long. Reads
 * the bytes in place (no copies): this runs for every ES256/384/512 token verified.
 */
function isInRange(signature: Uint8Array, offset: number, order: Uint8Array): boolean {
  let nonZero = false;
  let below = false;
  for (let i = 0; i < order.length; i++) {
    const byte = signature[offset + i]!;
    if (byte !== 0) nonZero = true;
    if (!below) {
      const bound = order[i]!;
      if (byte > bound) return false;
      if (byte < bound) below = true;
    }
  }
  return nonZero && below;
}
