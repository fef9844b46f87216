import { calculateJwkThumbprint } from 'jose';
import { describe, expect, test } from 'vitest';
import { decodeBase64Url } from './base64url.js';
import { generateEncryptionKey, generateSigningKey } from './generate-key.js';
import { importKey } from './key-set.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe('generateSigningKey', () => {
  test.each([
    ['RS256', { kty: 'RSA', e: 'AQAB' }],
    ['PS256', { kty: 'RSA', e: 'AQAB' }],
    ['ES256', { kty: 'EC', crv: 'P-256' }],
    ['EdDSA', { kty: 'OKP', crv: 'Ed25519' }],
  ] as const)('%s: public and private JWKs labelled for signing', async (alg, shape) => {
    const key = await generateSigningKey(alg);
    expect(key.alg).toBe(alg);
    expect(key.publicJwk).toMatchObject({ ...shape, alg, use: 'sig', kid: key.kid });
    expect(key.privateJwk).toMatchObject({ ...shape, alg, use: 'sig', kid: key.kid });
    expect(typeof key.privateJwk.d).toBe('string');
    for (const member of PRIVATE_MEMBERS) expect(key.publicJwk).not.toHaveProperty(member);
    const imported = await importKey(key.privateJwk);
    expect(imported).toMatchObject({ alg, kid: key.kid, isPrivate: true });
  });

  test('defaults kid to the RFC 7638 thumbprint of the public key', async () => {
    const key = await generateSigningKey('ES256');
    const { kty, crv, x, y } = key.publicJwk;
    expect(key.kid).toBe(await calculateJwkThumbprint({ kty, crv, x, y } as never, 'sha256'));
    expect((await generateSigningKey('ES256')).kid).not.toBe(key.kid);
  });

  test('takes a kid and an RSA modulus length', async () => {
    const key = await generateSigningKey('RS256', { kid: 'k-2026', modulusLength: 3072 });
    expect(key.kid).toBe('k-2026');
    expect(decodeBase64Url(key.publicJwk.n!)).toHaveLength(384);
    expect(decodeBase64Url((await generateSigningKey('PS256')).publicJwk.n!)).toHaveLength(256);
  });

  test('refuses bad arguments with TypeError', async () => {
    // @ts-expect-error HS256 is not a signing algorithm Warden generates
    await expect(generateSigningKey('HS256')).rejects.toThrow(TypeError);
    await expect(generateSigningKey('RS256', { modulusLength: 1024 })).rejects.toThrow(/modulusLength/);
    await expect(generateSigningKey('RS256', { modulusLength: 2049 })).rejects.toThrow(/modulusLength/);
    await expect(generateSigningKey('ES256', { kid: '' })).rejects.toThrow(/options\.kid/);
  });
});

describe('generateEncryptionKey', () => {
  test.each([
    ['RSA-OAEP-256', { kty: 'RSA' }],
    ['ECDH-ES', { kty: 'EC', crv: 'P-256' }],
  ] as const)('%s: JWKs labelled for encryption', async (alg, shape) => {
    const key = await generateEncryptionKey(alg);
    expect(key.publicJwk).toMatchObject({ ...shape, alg, use: 'enc', kid: key.kid });
    for (const member of PRIVATE_MEMBERS) expect(key.publicJwk).not.toHaveProperty(member);
    expect(await importKey(key.privateJwk)).toMatchObject({ alg, isPrivate: true });
  });

  test('refuses RSA1_5', async () => {
    // @ts-expect-error deliberately unsupported
    await expect(generateEncryptionKey('RSA1_5')).rejects.toThrow(TypeError);
  });
});
