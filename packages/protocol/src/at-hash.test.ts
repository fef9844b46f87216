import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { computeAtHash } from './at-hash.js';

test('matches the OpenID Connect Core example (RS256)', async () => {
  expect(await computeAtHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256')).toBe(
    '77QmUPtjPfzWtF2AnpK9RQ',
  );
});

test.each([
  ['RS256', 'sha256'],
  ['PS256', 'sha256'],
  ['ES256', 'sha256'],
  ['ES384', 'sha384'],
  ['RS512', 'sha512'],
  ['EdDSA', 'sha512'],
])('%s uses the left half of %s', async (alg, hash) => {
  const digest = createHash(hash).update('token-value').digest();
  expect(await computeAtHash('token-value', alg)).toBe(
    digest.subarray(0, digest.length / 2).toString('base64url'),
  );
});

test('refuses algorithms without a hash and empty tokens', async () => {
  await expect(computeAtHash('token', 'none')).rejects.toThrow(TypeError);
  await expect(computeAtHash('token', 'RSA-OAEP-256')).rejects.toThrow(TypeError);
  await expect(computeAtHash('', 'RS256')).rejects.toThrow(TypeError);
});
