import { KeyObject } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { HMAC_SECRET, HS256_JWK, hs256Token } from '../../test/helpers.js';
import { decodeBase64Url, encodeBase64Url } from '../base64url.js';
import { generateSigningKey, type PrivateJwk } from '../generate-key.js';
import { KeyImportError } from '../key-import-error.js';
import { importKey, importKeySet } from '../key-set.js';
import { signJwt } from '../sign-jwt.js';
import { verifyCompactJws } from '../verify-jws.js';
import { importNodeKeySet } from './node-key-set.js';
import { verifyCompactJwsNode } from './verify-jws-node.js';

let rsa: PrivateJwk;
let rsaPublic: Record<string, unknown>;
let ecPublic: Record<string, unknown>;

beforeAll(async () => {
  const rsaKey = await generateSigningKey('RS256', { kid: 'rsa-1' });
  rsa = rsaKey.privateJwk;
  rsaPublic = rsaKey.publicJwk;
  ecPublic = (await generateSigningKey('ES256', { kid: 'ec-1' })).publicJwk;
});

afterEach(() => {
  vi.restoreAllMocks();
});

const bytes = (n: number) => encodeBase64Url(new Uint8Array(n).fill(7));

describe('importNodeKeySet', () => {
  test('imports a set whose keys are those importKeySet makes, usable by both verifiers', async () => {
    const set = await importNodeKeySet({ keys: [rsaPublic, ecPublic] });
    const reference = await importKeySet({ keys: [rsaPublic, ecPublic] });
    expect(set.keys.map((key) => key.jwk)).toEqual(reference.keys.map((key) => key.jwk));
    expect(set.get(undefined, 'ES256')?.kid).toBe('ec-1');
    const token = await signJwt({ sub: 'alice' }, await importKey(rsa));
    expect(verifyCompactJwsNode(token, set).key.kid).toBe('rsa-1');
    expect((await verifyCompactJws(token, set)).key.kid).toBe('rsa-1');
  });

  test('makes each KeyObject once, at import, and nothing per verification', async () => {
    const from = vi.spyOn(KeyObject, 'from');
    const set = await importNodeKeySet({ keys: [rsaPublic, ecPublic] });
    const hmac = await importNodeKeySet({ keys: [HS256_JWK] });
    expect(from).toHaveBeenCalledTimes(3);
    const rsaToken = await signJwt({ n: 1 }, await importKey(rsa));
    const hsToken = hs256Token('{"alg":"HS256","kid":"hmac-1"}', '{}', HMAC_SECRET);
    from.mockClear();
    const importSpy = vi.spyOn(crypto.subtle, 'importKey');
    for (let i = 0; i < 3; i++) {
      verifyCompactJwsNode(rsaToken, set);
      verifyCompactJwsNode(hsToken, hmac);
    }
    expect(from).not.toHaveBeenCalled();
    expect(importSpy).not.toHaveBeenCalled();
  });

  test('keeps KeyObjects out of the set, so a non-extractable secret stays unexportable', async () => {
    const set = await importNodeKeySet({ keys: [HS256_JWK] });
    const key = set.keys[0]!;
    expect(Object.values(key).some((value) => value instanceof KeyObject)).toBe(false);
    expect((key.key as CryptoKey).extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key.key as CryptoKey)).rejects.toThrow();
  });

  test('a key set from importKeySet gets its KeyObjects on first use, once', async () => {
    const set = await importKeySet({ keys: [rsaPublic] });
    const token = await signJwt({}, await importKey(rsa));
    const from = vi.spyOn(KeyObject, 'from');
    for (let i = 0; i < 3; i++) verifyCompactJwsNode(token, set);
    expect(from).toHaveBeenCalledTimes(1);
  });

  // importNodeKeySet runs importKeySet's own checks: the same sets are refused with the same errors.
  test.each<[string, () => unknown]>([
    ['a non-object', () => 'jwks'],
    ['more than maxKeys keys', () => ({ keys: Array(101).fill(HS256_JWK) })],
    ['duplicate kids', () => ({ keys: [ecPublic, { ...rsaPublic, kid: 'ec-1' }] })],
    ['symmetric and asymmetric keys together', () => ({ keys: [HS256_JWK, ecPublic] })],
    ['an HS256 key of 31 bytes', () => ({ keys: [{ ...HS256_JWK, k: bytes(31) }] })],
    ['an HS512 key of 63 bytes', () => ({ keys: [{ ...HS256_JWK, alg: 'HS512', k: bytes(63) }] })],
    [
      'a 1024-bit RSA key',
      () => ({ keys: [{ ...rsaPublic, n: encodeBase64Url(new Uint8Array(128).fill(255)) }] }),
    ],
    ['public exponent 3', () => ({ keys: [{ ...rsaPublic, e: 'Aw' }] })],
    ['a JWK without alg', () => ({ keys: [{ ...rsaPublic, alg: undefined }] })],
    ['alg none', () => ({ keys: [{ ...HS256_JWK, alg: 'none' }] })],
    ['an RS256 alg on an EC key', () => ({ keys: [{ ...ecPublic, alg: 'RS256' }] })],
    ['an HS256 alg on an RSA key', () => ({ keys: [{ ...rsaPublic, alg: 'HS256' }] })],
    ['an ES384 alg on a P-256 key', () => ({ keys: [{ ...ecPublic, alg: 'ES384' }] })],
    ['use enc on a signing alg', () => ({ keys: [{ ...ecPublic, use: 'enc' }] })],
    [
      'key_ops encrypt on a signing alg',
      () => ({ keys: [{ ...ecPublic, use: undefined, key_ops: ['encrypt'] }] }),
    ],
    ['non-canonical base64url in x', () => ({ keys: [{ ...ecPublic, x: `${ecPublic.x}=` }] })],
    ['an EC point off the curve', () => ({ keys: [{ ...ecPublic, y: flipLastBit(ecPublic.y as string) }] })],
  ])('refuses %s exactly as importKeySet does', async (_, make) => {
    const reference = await importKeySet(make()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(reference).toBeInstanceOf(KeyImportError);
    const attempt = importNodeKeySet(make());
    await expect(attempt).rejects.toThrow(KeyImportError);
    await expect(attempt).rejects.toThrow((reference as Error).message);
  });

  test('refuses bad options as importKeySet does', async () => {
    await expect(importNodeKeySet({ keys: [] }, { maxKeys: 0 })).rejects.toThrow(/options\.maxKeys/);
  });
});

function flipLastBit(value: string): string {
  const decoded = decodeBase64Url(value);
  decoded[decoded.length - 1]! ^= 1;
  return encodeBase64Url(decoded);
}
