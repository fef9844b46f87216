import type { EcdsaCurve } from './node-algorithm-of.js';

/**
 * True when a JWS ECDSA signature (`r || s`, RFC 7518 3.4) has the curve's length and both `r`
 * and `s` lie in [1, n − 1]. A verifier that skips this accepts `r = s = 0` for any message and
 * key (the "psychic signature", CVE-2022-21449). It does NOT verify the signature.
 */
export function hasEcdsaScalarsInRange(signature: Uint8Array, curve: EcdsaCurve): boolean {
  if (signature.length !== 2 * curve.size) return false;
  return (
    isInRange(signature.subarray(0, curve.size), curve.order) &&
    isInRange(signature.subarray(curve.size), curve.order)
  );
}

/** 0 < scalar < order, both big-endian and of the same length. */
function isInRange(scalar: Uint8Array, order: Uint8Array): boolean {
  return scalar.some((byte) => byte !== 0) && Buffer.compare(scalar, order) < 0;
}
