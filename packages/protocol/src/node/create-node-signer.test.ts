import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { HS256_JWK, NOW } from '../../test/helpers.js';
import { JWS_ALGORITHMS, type JwsAlg } from '../algorithms.js';
import { encodeBase64Url } from '../base64url.js';
import { importKey, importKeySet } from '../key-set.js';
import { signJwt } from '../sign-jwt.js';
import { verifyJwt } from '../verify-jwt.js';
import { createNodeSigner } from './create-node-signer.js';
import { verifyJwtNode } from './verify-jwt-node.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const PRIVATE_JWKS: Record<string, Record<string, unknown>> = {
  RS: rsa,
  PS: rsa,
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey.export({ format: 'jwk' }),
  EdDSA: generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }),
  HS: { kty: 'oct', k: encodeBase64Url(new Uint8Array(64).map((_, i) => i)) },
};
/** Algorithms whose signatures are a function of key and message alone. */
const DETERMINISTIC = /^(RS|HS|EdDSA)/;

function privateJwk(alg: JwsAlg, kid = `${alg}-key`): Record<string, unknown> {
  const jwk = PRIVATE_JWKS[alg] ?? PRIVATE_JWKS[alg.slice(0, 2)]!;
  return { ...jwk, alg, kid };
}

function publicJwk(jwk: Record<string, unknown>): Record<string, unknown> {
  if (jwk.kty === 'oct') return jwk;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return rest;
}

const claims = { iss: 'https://idp.example/', sub: 'zoë 🐉', aud: 'api', iat: NOW, exp: NOW + 60 };
const options = { currentTime: NOW, typ: 'at+jwt', issuer: 'https://idp.example/', audience: 'api' };

describe('createNodeSigner', () => {
  test.each(JWS_ALGORITHMS)('signs %s exactly as signJwt does, and verifyJwt accepts it', async (alg) => {
    const jwk = privateJwk(alg);
    const key = await importKey(jwk);
    const sign = createNodeSigner(key);
    const token = sign(claims, { typ: 'at+jwt' });
    expect(typeof token).toBe('string');
    const reference = await signJwt(claims, key, { typ: 'at+jwt' });
    const signingInput = (t: string) => t.slice(0, t.lastIndexOf('.'));
    expect(signingInput(token)).toBe(signingInput(reference));
    if (DETERMINISTIC.test(alg)) expect(token).toBe(reference);

    const keys = await importKeySet({ keys: [publicJwk(jwk)] });
    const viaJose = await verifyJwt(token, keys, options);
    expect(viaJose.header).toEqual({ alg, kid: `${alg}-key`, typ: 'at+jwt' });
    expect(viaJose.payload).toEqual(claims);
    expect(verifyJwtNode(token, keys, options).payload).toEqual(claims);
  });

  test('omits kid when the key has none and typ when unset, and adds no claim', async () => {
    const { kid: _kid, ...jwk } = privateJwk('ES256');
    const key = await importKey(jwk);
    const token = createNodeSigner(key)({ a: 1 });
    const [header, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'ES256' });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({ a: 1 });
    expect(token.split('.').slice(0, 2)).toEqual((await signJwt({ a: 1 }, key)).split('.').slice(0, 2));
  });

  test('signs with a non-extractable key (the default of importKey)', async () => {
    const key = await importKey(HS256_JWK);
    expect((key.key as CryptoKey).extractable).toBe(false);
    expect(createNodeSigner(key)({ exp: NOW + 1 })).toBe(await signJwt({ exp: NOW + 1 }, key));
  });

  test('refuses a public key, an encryption key, a non-object payload and an empty typ', async () => {
    const jwk = privateJwk('ES256');
    expect(() => createNodeSigner(undefined as never)).toThrow(TypeError);
    expect(() => createNodeSigner({ alg: 'ES256', isPrivate: true, key: {} } as never)).toThrow(
      /signing key/,
    );
    const publicKey = await importKey(publicJwk(jwk));
    expect(() => createNodeSigner(publicKey)).toThrow(/signing key/);
    const dir = await importKey({ kty: 'oct', alg: 'A256GCM', k: HS256_JWK.k });
    expect(() => createNodeSigner(dir)).toThrow(/signing key/);
    const sign = createNodeSigner(await importKey(jwk));
    expect(() => sign([] as unknown as Record<string, unknown>)).toThrow(/payload/);
    expect(() => sign(null as unknown as Record<string, unknown>)).toThrow(/payload/);
    expect(() => sign({}, { typ: '' })).toThrow(/options\.typ/);
  });
});
