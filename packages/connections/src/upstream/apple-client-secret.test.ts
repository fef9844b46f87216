import { generateKeyPairSync } from 'node:crypto';
import { importKeySet, isOAuthError, verifyJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { readConnectionSettings } from '../settings/connection-settings.js';
import { appleClientSecret } from './apple-client-secret.js';
import { upstreamFrom } from './resolve-upstream.js';

const upstream = upstreamFrom(
  readConnectionSettings(
    'apple',
    { clientId: 'com.example.web', teamId: 'TEAM123456', keyId: 'KEY1234567' },
    false,
  ),
  'apple',
  'Apple',
);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const now = Date.UTC(2030, 0, 1);

describe('appleClientSecret', () => {
  it.each([
    ['the PEM text', pem],
    ['the PEM with its line breaks as spaces', pem.trim().replace(/\n/g, ' ')],
    ['the PEM with its line breaks as \\n', pem.trim().replace(/\n/g, '\\n')],
    [
      'the base64 between the armour lines',
      pem
        .split('\n')
        .filter((line) => line && !line.startsWith('-----'))
        .join(''),
    ],
  ])('signs an ES256 JWT with the key given as %s', async (_, p8) => {
    const jwt = await appleClientSecret(upstream, p8, now);
    const keys = await importKeySet({
      keys: [{ ...publicKey.export({ format: 'jwk' }), alg: 'ES256', kid: 'KEY1234567' }],
    });
    const { header, payload } = await verifyJwt(jwt, keys, {
      issuer: 'TEAM123456',
      audience: 'https://appleid.apple.com',
      currentTime: now / 1000,
    });
    expect(header).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    expect(payload).toEqual({
      iss: 'TEAM123456',
      sub: 'com.example.web',
      aud: 'https://appleid.apple.com',
      iat: now / 1000,
      exp: now / 1000 + 300,
    });
  });

  it.each([
    ['nothing', undefined],
    ['garbage', 'not a key'],
    [
      'an RSA key',
      generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    ],
    [
      'a P-384 key',
      generateKeyPairSync('ec', { namedCurve: 'P-384' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    ],
  ])('refuses %s with a 503 for the page', async (_, p8) => {
    const error = await appleClientSecret(upstream, p8, now).catch((caught: unknown) => caught);
    expect(isOAuthError(error)).toBe(true);
    expect(error).toMatchObject({ error: 'temporarily_unavailable', status: 503 });
  });
});
