import { constants, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, test } from 'vitest';
import { HMAC_SECRET, HS256_JWK, hs256Token } from '../../test/helpers.js';
import { JWS_ALGORITHMS, type JwsAlg } from '../algorithms.js';
import { encodeBase64Url } from '../base64url.js';
import { type ImportedKey, importKey, type KeySet } from '../key-set.js';
import { OAuthError } from '../oauth-error.js';
import { signJwt } from '../sign-jwt.js';
import { verifyCompactJws } from '../verify-jws.js';
import { nodeAlgorithmOf } from './lib/node-algorithm-of.js';
import { importNodeKeySet } from './node-key-set.js';
import { verifyCompactJwsNode } from './verify-jws-node.js';

const EC_ALGS = [
  ['ES256', 'P-256', 'sha256'],
  ['ES384', 'P-384', 'sha384'],
  ['ES512', 'P-521', 'sha512'],
] as const;

const ecKeys: Record<string, { privateKey: KeyObject; keys: KeySet }> = {};
let rsaSigner: ImportedKey;
let rsaPrivate: KeyObject;
let rsaKeys: KeySet;
let hmacKeys: KeySet;

beforeAll(async () => {
  for (const [alg, namedCurve] of EC_ALGS) {
    const pair = generateKeyPairSync('ec', { namedCurve });
    const jwk = { ...pair.publicKey.export({ format: 'jwk' }), alg, kid: alg };
    ecKeys[alg] = { privateKey: pair.privateKey, keys: await importNodeKeySet({ keys: [jwk] }) };
  }
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rsaPrivate = rsa.privateKey;
  rsaSigner = await importKey({ ...rsa.privateKey.export({ format: 'jwk' }), alg: 'PS256', kid: 'ps' });
  rsaKeys = await importNodeKeySet({
    keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), alg: 'PS256', kid: 'ps' }],
  });
  hmacKeys = await importNodeKeySet({ keys: [HS256_JWK] });
});

/** A fresh private JWK and its public half (for oct: the same JWK), pinned to `alg` with kid "k". */
function jwkPairFor(alg: JwsAlg): [Record<string, unknown>, Record<string, unknown>] {
  if (alg.startsWith('HS')) {
    const jwk = { kty: 'oct', alg, kid: 'k', k: randomBytes(64).toString('base64url') };
    return [jwk, jwk];
  }
  const pair = alg.startsWith('ES')
    ? generateKeyPairSync('ec', { namedCurve: EC_ALGS.find(([a]) => a === alg)![1] })
    : alg === 'EdDSA'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const label = { alg, kid: 'k' };
  return [
    { ...pair.privateKey.export({ format: 'jwk' }), ...label },
    { ...pair.publicKey.export({ format: 'jwk' }), ...label },
  ];
}

const encode = (value: unknown) => encodeBase64Url(JSON.stringify(value));

/** Both verifiers refuse `token` with `OAuthError('invalid_token', description)`. */
async function bothRefuse(token: string, keys: KeySet, description: string) {
  expect(() => verifyCompactJwsNode(token, keys)).toThrow(OAuthError);
  expect(() => verifyCompactJwsNode(token, keys)).toThrow(
    expect.objectContaining({ error: 'invalid_token', description }),
  );
  await expect(verifyCompactJws(token, keys)).rejects.toMatchObject({ error: 'invalid_token', description });
}

describe('verifyCompactJwsNode', () => {
  test('is synchronous: returns the result and throws the error, no promise', async () => {
    const token = await signJwt({ sub: 'alice' }, rsaSigner);
    const result = verifyCompactJwsNode(token, rsaKeys);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual(await verifyCompactJws(token, rsaKeys));
    expect(() => verifyCompactJwsNode(`${token}x`, rsaKeys)).toThrow(OAuthError);
  });

  describe.each(EC_ALGS)('%s (%s)', (alg, _curve, hash) => {
    const input = () => `${encode({ alg, kid: alg })}.${encode({ sub: 'admin' })}`;
    const n = () => {
      const algorithm = nodeAlgorithmOf(alg);
      if (algorithm.kind !== 'ecdsa') throw new Error('not ECDSA');
      return {
        size: algorithm.curve.size,
        order: BigInt(`0x${Buffer.from(algorithm.curve.order).toString('hex')}`),
      };
    };
    const scalars = (r: bigint, s: bigint) => {
      const { size } = n();
      const hex = (v: bigint) => v.toString(16).padStart(size * 2, '0');
      return Buffer.from(hex(r) + hex(s), 'hex').toString('base64url');
    };

    test('refuses psychic signatures: r or s equal to 0 or to n (CVE-2022-21449)', async () => {
      const { order } = n();
      for (const [r, s] of [
        [0n, 0n],
        [0n, 1n],
        [1n, 0n],
        [order, order],
        [order, 1n],
        [1n, order],
      ] as const) {
        await bothRefuse(`${input()}.${scalars(r, s)}`, ecKeys[alg]!.keys, 'invalid signature');
      }
    });

    test('accepts (r, n − s) as well as (r, s), as ECDSA does: the curve order is right', async () => {
      const { size, order } = n();
      const signature = sign(hash, Buffer.from(input()), {
        key: ecKeys[alg]!.privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      const r = BigInt(`0x${signature.subarray(0, size).toString('hex')}`);
      const s = BigInt(`0x${signature.subarray(size).toString('hex')}`);
      for (const token of [`${input()}.${scalars(r, s)}`, `${input()}.${scalars(r, order - s)}`]) {
        expect(verifyCompactJwsNode(token, ecKeys[alg]!.keys).header.alg).toBe(alg);
        expect((await verifyCompactJws(token, ecKeys[alg]!.keys)).header.alg).toBe(alg);
      }
    });

    test('refuses a DER signature and an r || s of the wrong length', async () => {
      const { size } = n();
      const der = sign(hash, Buffer.from(input()), ecKeys[alg]!.privateKey);
      await bothRefuse(`${input()}.${der.toString('base64url')}`, ecKeys[alg]!.keys, 'invalid signature');
      const p1363 = sign(hash, Buffer.from(input()), {
        key: ecKeys[alg]!.privateKey,
        dsaEncoding: 'ieee-p1363',
      });
      const padded = Buffer.concat([
        Buffer.alloc(1),
        p1363.subarray(0, size),
        Buffer.alloc(1),
        p1363.subarray(size),
      ]);
      await bothRefuse(`${input()}.${padded.toString('base64url')}`, ecKeys[alg]!.keys, 'invalid signature');
    });
  });

  test.each(JWS_ALGORITHMS)('%s: refuses a changed payload, signature or key', async (alg) => {
    const [privateJwk, publicJwk] = jwkPairFor(alg);
    const keys = await importNodeKeySet({ keys: [publicJwk] });
    const token = await signJwt({ sub: 'alice' }, await importKey(privateJwk));
    expect(verifyCompactJwsNode(token, keys).key.alg).toBe(alg);
    const [h, p, sig] = token.split('.') as [string, string, string];
    await bothRefuse(`${h}.${encode({ sub: 'admin' })}.${sig}`, keys, 'invalid signature');
    const bytes = Buffer.from(sig, 'base64url');
    for (const index of [0, bytes.length >> 1, bytes.length - 1]) {
      const flipped = Buffer.from(bytes);
      flipped[index]! ^= 1;
      await bothRefuse(`${h}.${p}.${flipped.toString('base64url')}`, keys, 'invalid signature');
    }
    const [, otherPublic] = jwkPairFor(alg);
    await bothRefuse(token, await importNodeKeySet({ keys: [otherPublic] }), 'invalid signature');
  });

  test('PS256 needs a salt as long as the hash, as jose does', async () => {
    const signingInput = `${encode({ alg: 'PS256', kid: 'ps' })}.${encode({})}`;
    const pss = (saltLength: number) =>
      sign('sha256', Buffer.from(signingInput), {
        key: rsaPrivate,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength,
      }).toString('base64url');
    expect(verifyCompactJwsNode(`${signingInput}.${pss(32)}`, rsaKeys).key.kid).toBe('ps');
    for (const saltLength of [0, 20, 64]) {
      await bothRefuse(`${signingInput}.${pss(saltLength)}`, rsaKeys, 'invalid signature');
    }
  });

  test('refuses a truncated or extended HMAC', async () => {
    const token = hs256Token('{"alg":"HS256","kid":"hmac-1"}', '{}', HMAC_SECRET);
    const [h, p, mac] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(mac, 'base64url');
    expect(verifyCompactJwsNode(token, hmacKeys).key.kid).toBe('hmac-1');
    await bothRefuse(
      `${h}.${p}.${bytes.subarray(0, 16).toString('base64url')}`,
      hmacKeys,
      'invalid signature',
    );
    await bothRefuse(
      `${h}.${p}.${Buffer.concat([bytes, bytes]).toString('base64url')}`,
      hmacKeys,
      'invalid signature',
    );
  });

  test('verifies what jose signs, with an empty payload too', async () => {
    const key = await importKey({ ...HS256_JWK });
    const token = await new CompactSign(new Uint8Array())
      .setProtectedHeader({ alg: 'HS256', kid: 'hmac-1' })
      .sign(key.key as CryptoKey);
    expect(verifyCompactJwsNode(token, hmacKeys).payload).toHaveLength(0);
  });
});
