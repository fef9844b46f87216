import { describe, expect, test } from 'vitest';
import { HMAC_SECRET, HS256_JWK, hs256Token, NOW } from '../../test/helpers.js';
import { OAuthError } from '../oauth-error.js';
import { verifyJwt } from '../verify-jwt.js';
import { importNodeKeySet } from './node-key-set.js';
import { verifyJwtNode } from './verify-jwt-node.js';

const header = '{"alg":"HS256","kid":"hmac-1","typ":"at+jwt"}';

describe('verifyJwtNode', () => {
  test('is synchronous and returns what verifyJwt returns', async () => {
    const keys = await importNodeKeySet({ keys: [HS256_JWK] });
    const token = hs256Token(header, `{"sub":"alice","aud":"api","exp":${NOW + 60}}`, HMAC_SECRET);
    const options = { typ: 'at+jwt', audience: 'api', currentTime: NOW };
    const result = verifyJwtNode(token, keys, options);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual(await verifyJwt(token, keys, options));
    expect(result.payload).toEqual({ sub: 'alice', aud: 'api', exp: NOW + 60 });
  });

  test('throws synchronously: OAuthError for the token, TypeError for bad options', async () => {
    const keys = await importNodeKeySet({ keys: [HS256_JWK] });
    const token = hs256Token(header, `{"exp":${NOW - 1}}`, HMAC_SECRET);
    expect(() => verifyJwtNode(token, keys, { currentTime: NOW })).toThrow(OAuthError);
    expect(() => verifyJwtNode(token, keys, { currentTime: NOW })).toThrow('the token has expired');
    expect(() => verifyJwtNode(token, keys, { typ: '' })).toThrow(TypeError);
  });
});
