import { expect, test } from 'vitest';
import { encodeBase64Url } from './base64url.js';
import { decodeJwt } from './decode-jwt.js';
import { OAuthError } from './oauth-error.js';

const enc = (value: unknown) => encodeBase64Url(JSON.stringify(value));

test('decodes header and payload without verifying anything', () => {
  const token = `${enc({ alg: 'none' })}.${enc({ sub: 'alice', exp: 1 })}.not-a-signature`;
  expect(decodeJwt(token)).toEqual({ header: { alg: 'none' }, payload: { sub: 'alice', exp: 1 } });
});

test.each([
  ['two segments', `${enc({ alg: 'RS256' })}.${enc({})}`, 'not a compact JWS'],
  ['a JWE', `${enc({ alg: 'dir' })}..AAAA.AAAA.AAAA`, 'not a compact JWS'],
  ['a non-JSON payload', `${enc({ alg: 'RS256' })}.${encodeBase64Url('hi')}.x`, 'payload: not JSON'],
  ['a padded header', `${enc({ alg: 'RS256' })}=.${enc({})}.x`, 'header: malformed base64url'],
  [
    'duplicate claims',
    `${enc({ alg: 'RS256' })}.${encodeBase64Url('{"a":1,"a":2}')}.x`,
    'payload: duplicate member name',
  ],
])('refuses %s', (_, token, description) => {
  expect(() => decodeJwt(token)).toThrow(OAuthError);
  expect(() => decodeJwt(token)).toThrow(expect.objectContaining({ error: 'invalid_token', description }));
});
