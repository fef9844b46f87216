import { CompactEncrypt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { encodeBase64Url } from './base64url.js';
import { type GeneratedKey, generateEncryptionKey } from './generate-key.js';
import { decryptCompactJwe, encryptCompact } from './jwe.js';
import { type ImportedKey, importKey, importKeySet, type KeySet } from './key-set.js';
import { OAuthError } from './oauth-error.js';

let oaep: GeneratedKey<'RSA-OAEP-256' | 'ECDH-ES'>;
let ecdh: GeneratedKey<'RSA-OAEP-256' | 'ECDH-ES'>;
let oaepPublic: ImportedKey;
let ecdhPublic: ImportedKey;
let privateKeys: KeySet;

beforeAll(async () => {
  oaep = await generateEncryptionKey('RSA-OAEP-256', { kid: 'oaep-1' });
  ecdh = await generateEncryptionKey('ECDH-ES', { kid: 'ecdh-1' });
  oaepPublic = await importKey(oaep.publicJwk);
  ecdhPublic = await importKey(ecdh.publicJwk);
  privateKeys = await importKeySet({ keys: [oaep.privateJwk, ecdh.privateJwk] });
});

const enc = (value: unknown) => encodeBase64Url(JSON.stringify(value));
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function refuses(token: string, keys: KeySet, description: string, options = {}) {
  const attempt = decryptCompactJwe(token, keys, options);
  await expect(attempt).rejects.toBeInstanceOf(OAuthError);
  await expect(attempt).rejects.toMatchObject({ error: 'invalid_token', description });
}

describe('encryptCompact and decryptCompactJwe', () => {
  test.each(['RSA-OAEP-256', 'ECDH-ES'] as const)('round-trip with %s and A256GCM', async (alg) => {
    const key = alg === 'ECDH-ES' ? ecdhPublic : oaepPublic;
    const token = await encryptCompact('a nested JWT', key, { alg, cty: 'JWT', typ: 'at+jwt' });
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg,
      enc: 'A256GCM',
      kid: key.kid,
      cty: 'JWT',
      typ: 'at+jwt',
    });
    const result = await decryptCompactJwe(token, privateKeys);
    expect(text(result.plaintext)).toBe('a nested JWT');
    expect(result.key.kid).toBe(key.kid);
    expect(result.header.cty).toBe('JWT');
  });

  test('encrypts bytes with another enc when asked', async () => {
    const token = await encryptCompact(new Uint8Array([1, 2, 3]), ecdhPublic, {
      alg: 'ECDH-ES',
      enc: 'A128CBC-HS256',
    });
    expect((await decryptCompactJwe(token, privateKeys)).plaintext).toEqual(new Uint8Array([1, 2, 3]));
    await refuses(token, privateKeys, 'enc is not accepted', {
      encryptionAlgorithms: ['A256GCM'],
    });
  });

  test('encryptCompact refuses a key pinned to another algorithm and bad options', async () => {
    await expect(encryptCompact('x', oaepPublic, { alg: 'ECDH-ES' })).rejects.toThrow(/ECDH-ES key/);
    const signing = await importKey({ kty: 'oct', alg: 'A256KW', k: encodeBase64Url(new Uint8Array(32)) });
    await expect(encryptCompact('x', signing, { alg: 'RSA-OAEP-256' })).rejects.toThrow(TypeError);
    // @ts-expect-error RSA1_5 is not offered
    await expect(encryptCompact('x', oaepPublic, { alg: 'RSA1_5' })).rejects.toThrow(/options\.alg/);
    // @ts-expect-error not a content encryption algorithm
    await expect(encryptCompact('x', oaepPublic, { alg: 'RSA-OAEP-256', enc: 'A256KW' })).rejects.toThrow(
      /options\.enc/,
    );
    await expect(encryptCompact('x', oaepPublic, { alg: 'RSA-OAEP-256', typ: '' })).rejects.toThrow(
      /options\.typ/,
    );
  });

  test('refuses a tampered token', async () => {
    const token = await encryptCompact('secret', oaepPublic, { alg: 'RSA-OAEP-256' });
    const parts = token.split('.');
    parts[3] = encodeBase64Url(new Uint8Array(6));
    await refuses(parts.join('.'), privateKeys, 'decryption failed');
  });

  test('refuses a token for a key not in the set, and a set without private keys', async () => {
    const other = await generateEncryptionKey('RSA-OAEP-256', { kid: 'oaep-2' });
    const token = await encryptCompact('x', await importKey(other.publicJwk), { alg: 'RSA-OAEP-256' });
    await refuses(token, privateKeys, 'no decryption key matches the kid, alg and enc');
    const mine = await encryptCompact('x', oaepPublic, { alg: 'RSA-OAEP-256' });
    await refuses(
      mine,
      await importKeySet({ keys: [oaep.publicJwk] }),
      'no decryption key matches the kid, alg and enc',
    );
  });

  test('pins alg to the key: RSA-OAEP against an RSA-OAEP-256 key is refused', async () => {
    const { kid, ...jwk } = oaep.publicJwk;
    const token = await new CompactEncrypt(new TextEncoder().encode('x'))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256GCM', kid })
      .encrypt(await importKey({ ...jwk, alg: 'RSA-OAEP' }).then((key) => key.publicKey!));
    await refuses(token, privateKeys, 'no decryption key matches the kid, alg and enc');
  });

  test.each([
    ['RSA1_5', { alg: 'RSA1_5', enc: 'A256GCM', kid: 'oaep-1' }, 'alg RSA1_5 is not accepted'],
    [
      'zip',
      { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'oaep-1', zip: 'DEF' },
      'compressed plaintext (zip) is not accepted',
    ],
    ['crit', { alg: 'RSA-OAEP-256', enc: 'A256GCM', crit: ['x'], x: 1 }, 'crit headers are not supported'],
    ['a missing enc', { alg: 'RSA-OAEP-256', kid: 'oaep-1' }, 'enc header is missing'],
    ['alg none', { alg: 'none', enc: 'A256GCM' }, 'alg is not accepted'],
    ['an unknown enc', { alg: 'RSA-OAEP-256', enc: 'A512GCM' }, 'enc is not accepted'],
  ])('refuses %s before decrypting', async (_, header, description) => {
    await refuses(
      `${enc(header)}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`,
      privateKeys,
      description,
    );
  });

  test('refuses duplicate header members', async () => {
    const header = encodeBase64Url('{"alg":"RSA-OAEP-256","enc":"A256GCM","enc":"A128GCM"}');
    await refuses(
      `${header}.AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA`,
      privateKeys,
      'header: duplicate member name',
    );
  });

  test('refuses oversize tokens before parsing, and anything but five canonical segments', async () => {
    await refuses('!'.repeat(16385), privateKeys, 'the token is too large');
    await refuses('!'.repeat(101), privateKeys, 'the token is too large', { maxSize: 100 });
    const token = await encryptCompact('x', oaepPublic, { alg: 'RSA-OAEP-256' });
    await refuses(`${token}.`, privateKeys, 'not a compact JWE');
    await refuses(token.split('.').slice(0, 3).join('.'), privateKeys, 'not a compact JWE');
    await refuses(`${token}=`, privateKeys, 'not a compact JWE');
    // The 16-byte tag leaves 4 unused bits in its last character: setting one keeps the bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet[alphabet.indexOf(token.at(-1)!) ^ 1];
    await refuses(`${token.slice(0, -1)}${last}`, privateKeys, 'malformed base64url segment');
  });

  test('decrypts direct encryption with a key pinned to its enc, and refuses another enc', async () => {
    const secret = crypto.getRandomValues(new Uint8Array(32));
    const keys = await importKeySet({
      keys: [{ kty: 'oct', kid: 'dir-1', alg: 'A256GCM', k: encodeBase64Url(secret) }],
    });
    const good = await new CompactEncrypt(new TextEncoder().encode('direct'))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'dir-1' })
      .encrypt(secret);
    expect(text((await decryptCompactJwe(good, keys)).plaintext)).toBe('direct');
    const other = await new CompactEncrypt(new TextEncoder().encode('direct'))
      .setProtectedHeader({ alg: 'dir', enc: 'A128CBC-HS256', kid: 'dir-1' })
      .encrypt(secret);
    await refuses(other, keys, 'no decryption key matches the kid, alg and enc');
  });

  test('narrows key management algorithms with options.algorithms', async () => {
    const token = await encryptCompact('x', ecdhPublic, { alg: 'ECDH-ES' });
    await refuses(token, privateKeys, 'alg is not accepted', { algorithms: ['RSA-OAEP-256'] });
    await expect(decryptCompactJwe(token, privateKeys, { algorithms: ['RSA1_5'] })).rejects.toThrow(
      TypeError,
    );
    await expect(decryptCompactJwe(token, privateKeys, { encryptionAlgorithms: ['A256KW'] })).rejects.toThrow(
      TypeError,
    );
  });
});
