import { createHmac } from 'node:crypto';
import { CompactSign, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { HMAC_SECRET, HS256_JWK, hs256Token } from '../test/helpers.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { generateSigningKey, type PrivateJwk } from './generate-key.js';
import { type ImportedKey, importKey, importKeySet, type KeySet } from './key-set.js';
import { verifyCompactJwsNode } from './node/verify-jws-node.js';
import { OAuthError } from './oauth-error.js';
import { signJwt } from './sign-jwt.js';
import { verifyCompactJws as verifyWithJose } from './verify-jws.js';

let rsaPrivate: ImportedKey;
let rsaPrivateJwk: PrivateJwk;
let rsaPublicJwk: Record<string, unknown>;
let ecPrivate: ImportedKey;
let ecPublicJwk: Record<string, unknown>;
let keys: KeySet;

beforeAll(async () => {
  const rsa = await generateSigningKey('RS256', { kid: 'rsa-1' });
  const ec = await generateSigningKey('ES256', { kid: 'ec-1' });
  rsaPrivate = await importKey(rsa.privateJwk);
  rsaPrivateJwk = rsa.privateJwk;
  rsaPublicJwk = rsa.publicJwk;
  ecPrivate = await importKey(ec.privateJwk);
  ecPublicJwk = ec.publicJwk;
  keys = await importKeySet({ keys: [rsa.publicJwk, ec.publicJwk] });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const enc = (value: unknown) => encodeBase64Url(JSON.stringify(value));

/** Every test runs against the jose seam and the node:crypto fast path (same checks, same errors). */
const VERIFIERS = [
  ['jose', verifyWithJose],
  ['node:crypto', async (...args: Parameters<typeof verifyWithJose>) => verifyCompactJwsNode(...args)],
] as const;

describe.each(VERIFIERS)('verifyCompactJws (%s)', (_, verifyCompactJws) => {
  async function rejects(token: unknown, set: KeySet, description: string | RegExp, options = {}) {
    const attempt = verifyCompactJws(token as string, set, options);
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({ error: 'invalid_token', status: 401 });
    await expect(attempt).rejects.toSatisfy((error: OAuthError) =>
      typeof description === 'string'
        ? error.description === description
        : description.test(error.description),
    );
  }

  test('returns header, raw payload and the key that verified', async () => {
    const token = await signJwt({ sub: 'alice' }, rsaPrivate, { typ: 'at+jwt' });
    const result = await verifyCompactJws(token, keys);
    expect(result.header).toEqual({ alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' });
    expect(JSON.parse(new TextDecoder().decode(result.payload))).toEqual({ sub: 'alice' });
    expect(result.key.kid).toBe('rsa-1');
  });

  test('accepts an empty payload', async () => {
    const token = await new CompactSign(new Uint8Array())
      .setProtectedHeader({ alg: 'ES256' })
      .sign(ecPrivate.key);
    expect((await verifyCompactJws(token, keys)).payload).toHaveLength(0);
  });

  test('does not import keys per call', async () => {
    const hmacKeys = await importKeySet({ keys: [HS256_JWK] });
    const rsaToken = await signJwt({ n: 1 }, rsaPrivate);
    const hsToken = hs256Token('{"alg":"HS256","kid":"hmac-1"}', '{}', HMAC_SECRET);
    const importSpy = vi.spyOn(crypto.subtle, 'importKey');
    for (let i = 0; i < 3; i++) {
      await verifyCompactJws(rsaToken, keys);
      await verifyCompactJws(hsToken, hmacKeys);
    }
    expect(importSpy).not.toHaveBeenCalled();
  });

  describe('alg none', () => {
    test('is refused with an empty signature', async () => {
      await rejects(`${enc({ alg: 'none', kid: 'rsa-1' })}.${enc({ sub: 'x' })}.`, keys, 'not a compact JWS');
    });
    test('is refused whatever the signature', async () => {
      await rejects(
        `${enc({ alg: 'none' })}.${enc({ sub: 'x' })}.AAAA`,
        keys,
        'unsigned tokens (alg none) are not accepted',
      );
    });
  });

  test('refuses RS256 -> HS256 key confusion (public key bytes used as an HMAC secret)', async () => {
    const spki = await exportSPKI(rsaPrivate.publicKey!);
    for (const secret of [spki, JSON.stringify(rsaPublicJwk), decodeBase64Url(rsaPublicJwk.n as string)]) {
      const forged = hs256Token('{"alg":"HS256","kid":"rsa-1"}', '{"sub":"admin"}', secret);
      await rejects(forged, keys, 'no key matches the kid and alg');
      const noKid = hs256Token('{"alg":"HS256"}', '{"sub":"admin"}', secret);
      await rejects(noKid, keys, 'no unique key for the alg');
    }
  });

  test('refuses a header alg other than the key pin, even of the same key type', async () => {
    const token = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'PS256', kid: 'rsa-1' })
      .sign(await importPs256(rsaPrivateJwk));
    await rejects(token, keys, 'no key matches the kid and alg');
  });

  test('ignores an embedded jwk, jku, x5u and x5c: keys come only from the key set', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true });
    const attackerJwk = await exportJWK(attacker.publicKey);
    for (const header of [
      { alg: 'ES256', kid: 'ec-1', jwk: attackerJwk },
      { alg: 'ES256', jwk: { ...attackerJwk, kid: 'ec-1' } },
      { alg: 'ES256', kid: 'ec-1', jku: 'https://attacker.example/jwks.json' },
      { alg: 'ES256', kid: 'ec-1', x5u: 'https://attacker.example/cert.pem' },
      { alg: 'ES256', kid: 'ec-1', x5c: ['MIIB'] },
    ]) {
      const forged = await new CompactSign(new TextEncoder().encode('{"sub":"admin"}'))
        .setProtectedHeader(header)
        .sign(attacker.privateKey);
      await rejects(forged, keys, 'invalid signature');
    }
  });

  test('refuses a token over the size limit before parsing it', async () => {
    const token = await signJwt({ pad: 'x'.repeat(9000) }, rsaPrivate);
    await rejects(token, keys, 'the token is too large');
    await rejects('!'.repeat(8193), keys, 'the token is too large');
    await rejects('!'.repeat(101), keys, 'the token is too large', { maxSize: 100 });
    expect((await verifyCompactJws(token, keys, { maxSize: 16384 })).key.kid).toBe('rsa-1');
  });

  test('refuses non-canonical base64url in any segment', async () => {
    const token = await signJwt({ sub: 'alice' }, ecPrivate);
    const [h, p, s] = token.split('.') as [string, string, string];
    // 64 signature bytes leave 2 unused bits in the last character: set one.
    const last = s.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBytes = `${s.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;
    expect(Buffer.from(sameBytes, 'base64url')).toEqual(Buffer.from(s, 'base64url'));
    await rejects(`${h}.${p}.${sameBytes}`, keys, 'malformed base64url segment');
    await rejects(`${h}.${p}.${s}=`, keys, 'not a compact JWS');
    await rejects(`${h}.${p}==.${s}`, keys, 'not a compact JWS');
    await rejects(`${h} .${p}.${s}`, keys, 'not a compact JWS');
    await rejects(`${h}.${p}.${s}\n`, keys, 'not a compact JWS');
    await rejects(`${h}.${p}?.${s}`, keys, 'not a compact JWS');
    await rejects(`${h}.${p.replaceAll('-', '+').replaceAll('_', '/')}+.${s}`, keys, 'not a compact JWS');
  });

  test('refuses anything but three segments', async () => {
    const token = await signJwt({ sub: 'alice' }, ecPrivate);
    await rejects(`${token}.`, keys, 'not a compact JWS');
    await rejects(token.split('.').slice(0, 2).join('.'), keys, 'not a compact JWS');
    await rejects(
      JSON.stringify({ protected: token.split('.')[0], payload: '', signature: '' }),
      keys,
      'not a compact JWS',
    );
    await rejects(undefined, keys, 'the token must be a string');
    await rejects('', keys, 'not a compact JWS');
  });

  test('refuses a header with duplicate member names, even when correctly signed', async () => {
    const hmacKeys = await importKeySet({ keys: [HS256_JWK] });
    const token = hs256Token('{"alg":"HS256","kid":"hmac-1","kid":"hmac-1"}', '{}', HMAC_SECRET);
    await rejects(token, hmacKeys, 'header: duplicate member name');
  });

  test.each([
    ['crit', { alg: 'HS256', kid: 'hmac-1', crit: ['exp'], exp: 1 }, 'crit headers are not supported'],
    ['b64 false', { alg: 'HS256', kid: 'hmac-1', b64: false }, 'unencoded payloads (b64) are not accepted'],
    ['a missing alg', { kid: 'hmac-1' }, 'alg header is missing'],
    ['an unknown alg', { alg: 'HS1', kid: 'hmac-1' }, 'alg is not accepted'],
    ['a numeric kid', { alg: 'HS256', kid: 1 }, 'kid header must be a string'],
  ])('refuses %s, even when correctly signed', async (_, header, description) => {
    const hmacKeys = await importKeySet({ keys: [HS256_JWK] });
    await rejects(hs256Token(JSON.stringify(header), '{}', HMAC_SECRET), hmacKeys, description);
  });

  test('refuses headers that are not JSON objects', async () => {
    const hmacKeys = await importKeySet({ keys: [HS256_JWK] });
    await rejects(hs256Token('["HS256"]', '{}', HMAC_SECRET), hmacKeys, 'header: not a JSON object');
    await rejects(hs256Token('{"alg":"HS256"', '{}', HMAC_SECRET), hmacKeys, 'header: not JSON');
  });

  test('refuses a wrong signature, a modified payload and an unknown kid', async () => {
    const token = await signJwt({ sub: 'alice' }, rsaPrivate);
    const [h, , s] = token.split('.');
    await rejects(`${h}.${enc({ sub: 'admin' })}.${s}`, keys, 'invalid signature');
    const other = await importKey((await generateSigningKey('RS256', { kid: 'rsa-1' })).privateJwk);
    await rejects(await signJwt({ sub: 'alice' }, other), keys, 'invalid signature');
    const stranger = await importKey({ ...(await generateSigningKey('ES256', { kid: 'nope' })).privateJwk });
    await rejects(await signJwt({}, stranger), keys, 'no key matches the kid and alg');
  });

  test('accepts a token without kid when exactly one key has its alg', async () => {
    const token = await new CompactSign(new TextEncoder().encode('{}'))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(ecPrivate.key);
    expect((await verifyCompactJws(token, keys)).key.kid).toBe('ec-1');
    const two = await importKeySet({ keys: [ecPublicJwk, { ...ecPublicJwk, kid: 'ec-copy' }] });
    await rejects(token, two, 'no unique key for the alg');
  });

  test('narrows algorithms with options.algorithms', async () => {
    const token = await signJwt({}, ecPrivate);
    await rejects(token, keys, 'alg is not accepted', { algorithms: ['RS256'] });
    expect((await verifyCompactJws(token, keys, { algorithms: ['ES256'] })).key.kid).toBe('ec-1');
  });

  test('refuses bad options with TypeError', async () => {
    const token = await signJwt({}, ecPrivate);
    await expect(verifyCompactJws(token, keys, { algorithms: ['none'] })).rejects.toThrow(
      /options\.algorithms/,
    );
    await expect(verifyCompactJws(token, keys, { maxSize: 0 })).rejects.toThrow(/options\.maxSize/);
  });

  test('never accepts an HMAC secret for a different hash', async () => {
    const hs512 = await importKeySet({
      keys: [{ ...HS256_JWK, alg: 'HS512', k: encodeBase64Url(new Uint8Array(64).fill(3)) }],
    });
    const mac = createHmac('sha256', new Uint8Array(64).fill(3));
    const input = `${enc({ alg: 'HS256', kid: 'hmac-1' })}.${enc({})}`;
    await rejects(
      `${input}.${mac.update(input).digest('base64url')}`,
      hs512,
      'no key matches the kid and alg',
    );
  });
});

/** The same RSA private key, imported for RSA-PSS signing. */
async function importPs256(jwk: PrivateJwk): Promise<CryptoKey> {
  const { kty, n, e, d, p, q, dp, dq, qi } = jwk;
  return crypto.subtle.importKey(
    'jwk',
    { kty, n, e, d, p, q, dp, dq, qi },
    { name: 'RSA-PSS', hash: 'SHA-256' },
    false,
    ['sign'],
  );
}
