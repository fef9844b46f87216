import { expect, test } from 'vitest';
import { decodeBase64Url } from '../base64url.js';
import { generateSigningKey } from '../generate-key.js';
import { hasRocaFingerprint } from './has-roca-fingerprint.js';

const PRIMES = [
  2n,
  3n,
  5n,
  7n,
  11n,
  13n,
  17n,
  19n,
  23n,
  29n,
  31n,
  37n,
  41n,
  43n,
  47n,
  53n,
  59n,
  61n,
  67n,
  71n,
  73n,
  79n,
  83n,
  89n,
  97n,
  101n,
  103n,
  107n,
  109n,
  113n,
  127n,
  131n,
  137n,
  139n,
  149n,
  151n,
  157n,
  163n,
  167n,
];

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function toBytes(n: bigint): Uint8Array {
  const hex = n.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));
}

test('flags a modulus built the RSALib way: k·M + (65537^a mod M)', () => {
  const M = PRIMES.reduce((product, p) => product * p);
  for (const [k, a] of [
    [(1n << 1800n) + 12345n, 987654321n],
    [(1n << 1900n) * 3n + 1n, 42n],
  ] as const) {
    expect(hasRocaFingerprint(toBytes(k * M + modPow(65537n, a, M)))).toBe(true);
  }
});

test('does not flag moduli of freshly generated keys', async () => {
  for (let i = 0; i < 3; i++) {
    const { publicJwk } = await generateSigningKey('RS256');
    expect(hasRocaFingerprint(decodeBase64Url(publicJwk.n!))).toBe(false);
  }
});
