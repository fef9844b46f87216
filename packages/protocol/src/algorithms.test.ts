import { expect, test } from 'vitest';
import {
  hashBitsOf,
  isJweAlg,
  isJweEnc,
  isJwsAlg,
  isSigningAlg,
  JWE_ALGORITHMS,
  JWS_ALGORITHMS,
  SIGNING_ALGORITHMS,
} from './algorithms.js';

test('never lists none or RSA1_5', () => {
  for (const alg of ['none', 'None', 'RSA1_5']) {
    expect(isJwsAlg(alg)).toBe(false);
    expect(isJweAlg(alg)).toBe(false);
  }
  expect(JWS_ALGORITHMS).not.toContain('none');
  expect(JWE_ALGORITHMS).not.toContain('RSA1_5');
});

test('signing algorithms are a subset of the verified ones', () => {
  for (const alg of SIGNING_ALGORITHMS) expect(isJwsAlg(alg)).toBe(true);
  expect(isSigningAlg('HS256')).toBe(false);
  expect(isSigningAlg('RS256')).toBe(true);
});

test('tells key management from content encryption', () => {
  expect(isJweAlg('ECDH-ES+A256KW')).toBe(true);
  expect(isJweAlg('A256GCM')).toBe(false);
  expect(isJweEnc('A256GCM')).toBe(true);
  expect(isJweEnc('A256KW')).toBe(false);
});

test.each([
  ['HS256', 256],
  ['RS384', 384],
  ['PS512', 512],
  ['ES256', 256],
  ['EdDSA', 512],
  ['none', undefined],
  ['RSA-OAEP-256', undefined],
])('hashBitsOf(%s) is %s', (alg, bits) => {
  expect(hashBitsOf(alg)).toBe(bits);
});
