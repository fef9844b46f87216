import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { HMAC_SECRET, HS256_JWK } from '../test/helpers.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { generateEncryptionKey, generateSigningKey, type PrivateJwk } from './generate-key.js';
import { KeyImportError } from './key-import-error.js';
import { importKey, importKeySet } from './key-set.js';

let rsa: PrivateJwk;
let rsaPublic: Record<string, unknown>;
let ec: PrivateJwk;
let ecPublic: Record<string, unknown>;
let ed: PrivateJwk;

beforeAll(async () => {
  const rsaKey = await generateSigningKey('RS256', { kid: 'rsa-1' });
  rsa = rsaKey.privateJwk;
  rsaPublic = rsaKey.publicJwk;
  const ecKey = await generateSigningKey('ES256', { kid: 'ec-1' });
  ec = ecKey.privateJwk;
  ecPublic = ecKey.publicJwk;
  ed = (await generateSigningKey('EdDSA', { kid: 'ed-1' })).privateJwk;
});

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe('importKey', () => {
  test('imports a public RSA key for verification', async () => {
    const key = await importKey(rsaPublic);
    expect(key).toMatchObject({ kid: 'rsa-1', alg: 'RS256', use: 'sig', kty: 'RSA', isPrivate: false });
    expect(key.key).toBe(key.publicKey);
    expect((key.key as CryptoKey).type).toBe('public');
  });

  test('imports a private key with its public half, and publishes only public members', async () => {
    for (const jwk of [rsa, ec, ed]) {
      const key = await importKey(jwk);
      expect(key.isPrivate).toBe(true);
      expect((key.key as CryptoKey).type).toBe('private');
      expect((key.key as CryptoKey).extractable).toBe(false);
      expect(key.publicKey?.type).toBe('public');
      for (const member of PRIVATE_MEMBERS) expect(key.jwk).not.toHaveProperty(member);
      expect(key.jwk).toMatchObject({ kty: jwk.kty, kid: jwk.kid, alg: jwk.alg, use: 'sig' });
    }
  });

  test('keeps private keys extractable only when asked', async () => {
    const key = await importKey(ec, { extractable: true });
    expect((key.key as CryptoKey).extractable).toBe(true);
    await expect(importKey(ec, { extractable: 'yes' as unknown as boolean })).rejects.toThrow(TypeError);
  });

  test('imports an HMAC secret once, as a non-extractable CryptoKey, and never publishes it', async () => {
    const key = await importKey(HS256_JWK);
    expect(key.key).toBeInstanceOf(CryptoKey);
    expect((key.key as CryptoKey).extractable).toBe(false);
    expect(key.isPrivate).toBe(true);
    expect(key.jwk).toEqual({ kty: 'oct', kid: 'hmac-1', alg: 'HS256' });
  });

  test('pins a direct-encryption key to dir and its content encryption algorithm', async () => {
    const key = await importKey({ kty: 'oct', alg: 'A256GCM', k: encodeBase64Url(new Uint8Array(32)) });
    expect(key).toMatchObject({ alg: 'dir', enc: 'A256GCM', kty: 'oct' });
    expect(key.key).toBeInstanceOf(Uint8Array);
  });

  test('imports encryption keys: RSA-OAEP-256, ECDH-ES on P-256 and X25519, AES key wrap, PBES2', async () => {
    const oaep = await generateEncryptionKey('RSA-OAEP-256');
    expect(await importKey(oaep.privateJwk)).toMatchObject({
      alg: 'RSA-OAEP-256',
      use: 'enc',
      isPrivate: true,
    });
    const ecdh = await generateEncryptionKey('ECDH-ES');
    expect(await importKey(ecdh.publicJwk)).toMatchObject({ alg: 'ECDH-ES', crv: 'P-256', isPrivate: false });
    const x25519 = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
    const xJwk = { ...(await exportJWK(x25519.privateKey)), alg: 'ECDH-ES+A128KW' };
    expect(await importKey(xJwk)).toMatchObject({ kty: 'OKP', crv: 'X25519', isPrivate: true });
    const kw = await importKey({ kty: 'oct', alg: 'A128KW', k: encodeBase64Url(new Uint8Array(16)) });
    expect(kw.alg).toBe('A128KW');
    const pbes2 = await importKey({
      kty: 'oct',
      alg: 'PBES2-HS256+A128KW',
      k: encodeBase64Url('correct horse'),
    });
    expect(pbes2.alg).toBe('PBES2-HS256+A128KW');
  });

  const bytes = (n: number) => encodeBase64Url(new Uint8Array(n).fill(7));
  test.each<[string, () => unknown, RegExp]>([
    ['a non-object', () => 'not a key', /must be an object/],
    ['an array', () => [HS256_JWK], /must be an object/],
    ['an unknown kty', () => ({ ...HS256_JWK, kty: 'AKP' }), /unsupported "kty"/],
    ['a JWK without alg', () => ({ ...rsaPublic, alg: undefined }), /no "alg"/],
    ['alg none', () => ({ ...HS256_JWK, alg: 'none' }), /none is refused/],
    ['alg RSA1_5', () => ({ ...rsaPublic, alg: 'RSA1_5', use: 'enc' }), /RSA1_5 is refused/],
    ['alg dir', () => ({ kty: 'oct', alg: 'dir', k: bytes(32) }), /names its content encryption/],
    ['an unregistered alg', () => ({ ...ecPublic, alg: 'ES521' }), /unsupported "alg"/],
    ['an RS256 alg on an EC key', () => ({ ...ecPublic, alg: 'RS256' }), /needs "kty" RSA/],
    ['an ES256 alg on a P-384 curve', () => ({ ...ecPublic, crv: 'P-384' }), /needs "crv" P-256/],
    ['an ES384 alg on a P-256 key', () => ({ ...ecPublic, alg: 'ES384' }), /needs "crv" P-384/],
    ['EdDSA on an X25519 key', () => ({ ...ed, crv: 'X25519' }), /needs "crv" Ed25519/],
    ['an HS256 alg on an RSA key', () => ({ ...rsaPublic, alg: 'HS256' }), /needs "kty" oct/],
    ['ECDH-ES on an Ed25519 key', () => ({ ...ed, alg: 'ECDH-ES', use: 'enc' }), /needs an EC key/],
    ['use enc on a signing alg', () => ({ ...ecPublic, use: 'enc' }), /"use" enc contradicts/],
    [
      'use sig on an encryption alg',
      () => ({ kty: 'oct', alg: 'A128KW', use: 'sig', k: bytes(16) }),
      /contradicts/,
    ],
    ['an unknown use', () => ({ ...ecPublic, use: 'both' }), /"use" must be/],
    [
      'key_ops encrypt on a signing alg',
      () => ({ ...ecPublic, use: undefined, key_ops: ['encrypt'] }),
      /key_ops/,
    ],
    [
      'key_ops sign on an encryption alg',
      () => ({ kty: 'oct', alg: 'A128KW', key_ops: ['sign'], k: bytes(16) }),
      /key_ops/,
    ],
    ['repeated key_ops', () => ({ ...ecPublic, key_ops: ['verify', 'verify'] }), /repeats/],
    ['empty key_ops', () => ({ ...ecPublic, key_ops: [] }), /non-empty array/],
    ['an HS256 key of 31 bytes', () => ({ ...HS256_JWK, k: bytes(31) }), /at least 32 bytes, not 31/],
    ['an HS384 key of 47 bytes', () => ({ ...HS256_JWK, alg: 'HS384', k: bytes(47) }), /at least 48/],
    ['an HS512 key of 63 bytes', () => ({ ...HS256_JWK, alg: 'HS512', k: bytes(63) }), /at least 64/],
    ['an empty HMAC key', () => ({ ...HS256_JWK, k: '' }), /not 0/],
    ['an oct key without k', () => ({ kty: 'oct', alg: 'HS256' }), /no "k"/],
    ['an A128KW key of 32 bytes', () => ({ kty: 'oct', alg: 'A128KW', k: bytes(32) }), /of 16 bytes/],
    [
      'an A256GCM direct key of 16 bytes',
      () => ({ kty: 'oct', alg: 'A256GCM', k: bytes(16) }),
      /of 32 bytes/,
    ],
    [
      'a PBES2 password under 8 bytes',
      () => ({ kty: 'oct', alg: 'PBES2-HS256+A128KW', k: bytes(7) }),
      /at least 8/,
    ],
    ['public exponent 3', () => ({ ...rsaPublic, e: 'Aw' }), /exponent must be 65537/],
    ['public exponent 1', () => ({ ...rsaPublic, e: 'AQ' }), /exponent must be 65537/],
    [
      'a 1024-bit RSA key',
      () => ({ ...rsaPublic, n: encodeBase64Url(new Uint8Array(128).fill(255)) }),
      /at least 2048 bits, not 1024/,
    ],
    [
      'an 8200-bit RSA key',
      () => ({ ...rsaPublic, n: encodeBase64Url(new Uint8Array(1025).fill(255)) }),
      /more than 8192/,
    ],
    ['non-canonical base64url in x', () => ({ ...ecPublic, x: `${ecPublic.x}=` }), /"x" is not canonical/],
    [
      'an EC point off the curve',
      () => ({ ...ecPublic, y: flipLastBit(ecPublic.y as string) }),
      /could not be imported/,
    ],
    ['an empty kid', () => ({ ...ecPublic, kid: '' }), /"kid" must be/],
    ['a numeric kid', () => ({ ...ecPublic, kid: 7 }), /"kid" must be/],
  ])('refuses %s', async (_, make, message) => {
    const attempt = importKey(make());
    await expect(attempt).rejects.toThrow(KeyImportError);
    await expect(attempt).rejects.toThrow(message);
  });
});

describe('importKeySet', () => {
  test('imports every key once and finds them by kid and alg', async () => {
    const set = await importKeySet({ keys: [rsaPublic, ecPublic] });
    expect(set.keys).toHaveLength(2);
    expect(set.get('rsa-1', 'RS256')?.kid).toBe('rsa-1');
    expect(set.get('ec-1', 'ES256')?.kid).toBe('ec-1');
    expect(set.get(undefined, 'ES256')?.kid).toBe('ec-1');
  });

  test('never lets a token pick a key pinned to another algorithm', async () => {
    const set = await importKeySet({ keys: [rsaPublic, ecPublic] });
    expect(set.get('rsa-1', 'HS256')).toBeUndefined();
    expect(set.get('rsa-1', 'PS256')).toBeUndefined();
    expect(set.get('rsa-1', 'ES256')).toBeUndefined();
    expect(set.get('missing', 'RS256')).toBeUndefined();
  });

  test('without kid, chooses only when exactly one key has the alg', async () => {
    const other = (await generateSigningKey('ES256', { kid: 'ec-2' })).publicJwk;
    const set = await importKeySet({ keys: [ecPublic, other] });
    expect(set.get(undefined, 'ES256')).toBeUndefined();
    expect(set.get('ec-2', 'ES256')?.kid).toBe('ec-2');
  });

  test('accepts an empty set, which matches nothing', async () => {
    const set = await importKeySet({ keys: [] });
    expect(set.get(undefined, 'RS256')).toBeUndefined();
  });

  test.each<[string, () => unknown, RegExp]>([
    ['a non-object', () => 'jwks', /"keys" array/],
    ['an object without keys', () => ({ key: [] }), /"keys" array/],
    ['duplicate kids', () => ({ keys: [ecPublic, { ...rsaPublic, kid: 'ec-1' }] }), /share the kid "ec-1"/],
    ['symmetric and asymmetric keys together', () => ({ keys: [HS256_JWK, ecPublic] }), /must not mix/],
    [
      'one bad key, naming it',
      () => ({ keys: [ecPublic, { ...rsaPublic, e: 'Aw' }] }),
      /keys\[1\] \(kid "rsa-1"\): .*65537/,
    ],
  ])('refuses %s', async (_, make, message) => {
    await expect(importKeySet(make())).rejects.toThrow(message);
  });

  test('refuses more than maxKeys keys', async () => {
    const keys = Array.from({ length: 3 }, (_, i) => ({ ...HS256_JWK, kid: `k${i}` }));
    await expect(importKeySet({ keys }, { maxKeys: 2 })).rejects.toThrow(/more than 2 keys/);
    expect((await importKeySet({ keys }, { maxKeys: 3 })).keys).toHaveLength(3);
    await expect(importKeySet({ keys }, { maxKeys: 0 })).rejects.toThrow(TypeError);
  });

  test('uses the secret it was given', async () => {
    const set = await importKeySet({ keys: [HS256_JWK] });
    const key = set.get('hmac-1', 'HS256')!.key as CryptoKey;
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new Uint8Array([1])));
    const { createHmac } = await import('node:crypto');
    expect(Buffer.from(mac)).toEqual(
      createHmac('sha256', HMAC_SECRET)
        .update(new Uint8Array([1]))
        .digest(),
    );
  });
});

function flipLastBit(value: string): string {
  const bytes = decodeBase64Url(value);
  bytes[bytes.length - 1]! ^= 1;
  return encodeBase64Url(bytes);
}
