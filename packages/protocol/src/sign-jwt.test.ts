import { decodeProtectedHeader } from 'jose';
import { describe, expect, test } from 'vitest';
import { HS256_JWK, NOW } from '../test/helpers.js';
import { SIGNING_ALGORITHMS } from './algorithms.js';
import { generateSigningKey } from './generate-key.js';
import { importKey, importKeySet } from './key-set.js';
import { signJwt } from './sign-jwt.js';
import { verifyJwt } from './verify-jwt.js';

describe('signJwt', () => {
  test.each(SIGNING_ALGORITHMS)(
    'signs with %s and the token verifies against the public key',
    async (alg) => {
      const generated = await generateSigningKey(alg);
      const token = await signJwt({ sub: 'alice', exp: NOW + 60 }, await importKey(generated.privateJwk), {
        typ: 'at+jwt',
      });
      expect(decodeProtectedHeader(token)).toEqual({ alg, kid: generated.kid, typ: 'at+jwt' });
      const keys = await importKeySet({ keys: [generated.publicJwk] });
      const { payload } = await verifyJwt(token, keys, { currentTime: NOW, typ: 'at+jwt' });
      expect(payload).toEqual({ sub: 'alice', exp: NOW + 60 });
    },
  );

  test('signs with an HMAC key too', async () => {
    const token = await signJwt({ exp: NOW + 1 }, await importKey(HS256_JWK));
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', kid: 'hmac-1' });
  });

  test('omits kid when the key has none, and adds no claim', async () => {
    const { privateJwk } = await generateSigningKey('ES256');
    const token = await signJwt({ a: 1 }, await importKey({ ...privateJwk, kid: undefined }));
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256' });
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toEqual({ a: 1 });
  });

  test('refuses a public key, an encryption key, a non-object payload and an empty typ', async () => {
    const { privateJwk, publicJwk } = await generateSigningKey('ES256');
    const signer = await importKey(privateJwk);
    await expect(signJwt({}, await importKey(publicJwk))).rejects.toThrow(TypeError);
    const dir = await importKey({ kty: 'oct', alg: 'A256GCM', k: HS256_JWK.k });
    await expect(signJwt({}, dir)).rejects.toThrow(/signing key/);
    await expect(signJwt([] as unknown as Record<string, unknown>, signer)).rejects.toThrow(/payload/);
    await expect(signJwt({}, signer, { typ: '' })).rejects.toThrow(/options\.typ/);
  });
});
