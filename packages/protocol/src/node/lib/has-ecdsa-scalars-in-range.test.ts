import { describe, expect, test } from 'vitest';
import { hasEcdsaScalarsInRange } from './has-ecdsa-scalars-in-range.js';
import { nodeAlgorithmOf } from './node-algorithm-of.js';

const CURVES = (['ES256', 'ES384', 'ES512'] as const).map((alg) => {
  const algorithm = nodeAlgorithmOf(alg);
  if (algorithm.kind !== 'ecdsa') throw new Error(`${alg} is not ECDSA`);
  return [algorithm.curve.name, algorithm.curve] as const;
});

function scalar(value: bigint, size: number): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex'));
}

describe('hasEcdsaScalarsInRange', () => {
  test.each(CURVES)('%s: accepts r and s from 1 to n − 1 only', (_, curve) => {
    const n = BigInt(`0x${Buffer.from(curve.order).toString('hex')}`);
    const sig = (r: bigint, s: bigint) =>
      new Uint8Array([...scalar(r, curve.size), ...scalar(s, curve.size)]);
    expect(hasEcdsaScalarsInRange(sig(1n, 1n), curve)).toBe(true);
    expect(hasEcdsaScalarsInRange(sig(n - 1n, n - 1n), curve)).toBe(true);
    expect(hasEcdsaScalarsInRange(sig(0n, 0n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(0n, 1n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(1n, 0n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(n, 1n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(1n, n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(n + 1n, 1n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(n - 256n, n - 256n), curve)).toBe(true);
    expect(hasEcdsaScalarsInRange(sig(1n, n + 256n), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(sig(1n, 1n).subarray(1), curve)).toBe(false);
    expect(hasEcdsaScalarsInRange(new Uint8Array([0, ...sig(1n, 1n)]), curve)).toBe(false);
  });
});
