import { beforeAll, describe, expect, test } from 'vitest';
import { HMAC_SECRET, HS256_JWK, hs256Token, NOW } from '../test/helpers.js';
import { generateSigningKey } from './generate-key.js';
import { type ImportedKey, importKey, importKeySet, type KeySet } from './key-set.js';
import { verifyJwtNode } from './node/verify-jwt-node.js';
import { OAuthError } from './oauth-error.js';
import { signJwt } from './sign-jwt.js';
import { type VerifyJwtOptions, verifyJwt as verifyWithJose } from './verify-jwt.js';

let signer: ImportedKey;
let keys: KeySet;
let hmacKeys: KeySet;

const claims = {
  iss: 'https://idp.example/',
  sub: 'alice',
  aud: 'https://api.example',
  iat: NOW,
  exp: NOW + 600,
};
const options: VerifyJwtOptions = {
  typ: 'at+jwt',
  issuer: 'https://idp.example/',
  audience: 'https://api.example',
  currentTime: NOW,
};

beforeAll(async () => {
  const generated = await generateSigningKey('ES256', { kid: 'ec-1' });
  signer = await importKey(generated.privateJwk);
  keys = await importKeySet({ keys: [generated.publicJwk] });
  hmacKeys = await importKeySet({ keys: [HS256_JWK] });
});

/** Every test runs against the jose seam and the node:crypto fast path (same checks, same errors). */
const VERIFIERS = [
  ['jose', verifyWithJose],
  ['node:crypto', async (...args: Parameters<typeof verifyWithJose>) => verifyJwtNode(...args)],
] as const;

describe.each(VERIFIERS)('verifyJwt (%s)', (_, verifyJwt) => {
  async function refuses(token: string, set: KeySet, opts: VerifyJwtOptions, description: string) {
    const attempt = verifyJwt(token, set, opts);
    await expect(attempt).rejects.toBeInstanceOf(OAuthError);
    await expect(attempt).rejects.toMatchObject({ error: 'invalid_token', description });
  }

  test('returns header, claims and key of a valid access token', async () => {
    const token = await signJwt({ ...claims, scope: 'read:dragons' }, signer, { typ: 'at+jwt' });
    const result = await verifyJwt(token, keys, options);
    expect(result.header).toEqual({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt' });
    expect(result.payload).toEqual({ ...claims, scope: 'read:dragons' });
    expect(result.key.kid).toBe('ec-1');
  });

  test('compares typ case-insensitively, with or without application/', async () => {
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt', 'Application/At+JWT']) {
      const token = await signJwt(claims, signer, { typ });
      expect((await verifyJwt(token, keys, options)).header.typ).toBe(typ);
    }
    const token = await signJwt(claims, signer, { typ: 'at+jwt' });
    expect(await verifyJwt(token, keys, { ...options, typ: 'application/AT+JWT' })).toBeTruthy();
  });

  test('refuses a wrong or missing typ when one is required', async () => {
    // An ID token (typ JWT) cannot pass for an access token.
    await refuses(await signJwt(claims, signer, { typ: 'JWT' }), keys, options, 'unexpected typ');
    await refuses(await signJwt(claims, signer), keys, options, 'unexpected typ');
    await refuses(
      await signJwt(claims, signer, { typ: 'application/jwt+at' }),
      keys,
      options,
      'unexpected typ',
    );
  });

  test('does not look at typ when none is required', async () => {
    const token = await signJwt(claims, signer, { typ: 'JWT' });
    expect((await verifyJwt(token, keys, { ...options, typ: undefined })).header.typ).toBe('JWT');
  });

  test('refuses a token without exp', async () => {
    await refuses(
      await signJwt({ ...claims, exp: undefined }, signer, { typ: 'at+jwt' }),
      keys,
      options,
      'exp claim is missing',
    );
  });

  test('refuses an expired or not yet valid token', async () => {
    const token = await signJwt(claims, signer, { typ: 'at+jwt' });
    await refuses(token, keys, { ...options, currentTime: NOW + 600 }, 'the token has expired');
    expect(
      await verifyJwt(token, keys, { ...options, currentTime: NOW + 605, clockTolerance: 10 }),
    ).toBeTruthy();
    const early = await signJwt({ ...claims, nbf: NOW + 60 }, signer, { typ: 'at+jwt' });
    await refuses(early, keys, options, 'the token is not valid yet');
  });

  test('refuses a wrong audience or issuer', async () => {
    const token = await signJwt(claims, signer, { typ: 'at+jwt' });
    await refuses(token, keys, { ...options, audience: 'https://other.example' }, 'unexpected aud');
    await refuses(token, keys, { ...options, issuer: 'https://evil.example/' }, 'unexpected iss');
  });

  test('refuses duplicate claims, even when correctly signed', async () => {
    const payload = `{"sub":"alice","exp":${NOW + 60},"sub":"admin"}`;
    const token = hs256Token('{"alg":"HS256","kid":"hmac-1"}', payload, HMAC_SECRET);
    await refuses(token, hmacKeys, { currentTime: NOW }, 'payload: duplicate member name');
  });

  test('refuses payloads that are not JSON objects', async () => {
    const header = '{"alg":"HS256","kid":"hmac-1"}';
    await refuses(hs256Token(header, 'hello', HMAC_SECRET), hmacKeys, {}, 'payload: not JSON');
    await refuses(
      hs256Token(header, `[{"exp":${NOW + 60}}]`, HMAC_SECRET),
      hmacKeys,
      {},
      'payload: not a JSON object',
    );
  });

  test('checks the signature before the claims', async () => {
    const token = await signJwt({ ...claims, exp: NOW - 1 }, signer, { typ: 'at+jwt' });
    const [h, p] = token.split('.');
    await refuses(`${h}.${p}.${'A'.repeat(86)}`, keys, options, 'invalid signature');
  });

  test('refuses a bad options.typ with TypeError', async () => {
    const token = await signJwt(claims, signer);
    await expect(verifyJwt(token, keys, { typ: '' })).rejects.toThrow(/options\.typ/);
  });
});
