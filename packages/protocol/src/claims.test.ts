import { afterEach, describe, expect, test, vi } from 'vitest';
import { NOW } from '../test/helpers.js';
import { type ClaimsOptions, checkClaims } from './claims.js';
import { OAuthError } from './oauth-error.js';

const base = {
  iss: 'https://idp.example/',
  sub: 'alice',
  aud: 'https://api.example',
  exp: NOW + 60,
  iat: NOW,
};
const at = (options: ClaimsOptions = {}) => ({ currentTime: NOW, ...options });

function refuses(payload: Record<string, unknown>, options: ClaimsOptions, description: string) {
  let thrown: unknown;
  try {
    checkClaims(payload, options);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(OAuthError);
  expect(thrown).toMatchObject({ error: 'invalid_token', description });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('checkClaims', () => {
  test('returns the claims when every check passes', () => {
    const options = at({ issuer: base.iss, audience: base.aud, maxTokenAge: 600, requiredClaims: ['sub'] });
    expect(checkClaims({ ...base, scope: 'read' }, options)).toEqual({ ...base, scope: 'read' });
  });

  describe('exp', () => {
    test('is required', () => refuses({ ...base, exp: undefined }, at(), 'exp claim is missing'));
    test('must be a number', () => {
      refuses({ ...base, exp: String(NOW + 60) }, at(), 'exp claim must be a number');
      refuses({ ...base, exp: null }, at(), 'exp claim must be a number');
    });
    test('is exclusive: a token is expired at its exp second', () => {
      refuses({ ...base, exp: NOW }, at(), 'the token has expired');
      expect(checkClaims({ ...base, exp: NOW + 1 }, at()).exp).toBe(NOW + 1);
    });
    test('allows clockTolerance seconds of skew', () => {
      expect(checkClaims({ ...base, exp: NOW - 5 }, at({ clockTolerance: 10 })).exp).toBe(NOW - 5);
      refuses({ ...base, exp: NOW - 10 }, at({ clockTolerance: 10 }), 'the token has expired');
    });
    test('uses the system clock when currentTime is not given', () => {
      vi.useFakeTimers();
      vi.setSystemTime(NOW * 1000);
      expect(checkClaims({ ...base, exp: NOW + 1 }).exp).toBe(NOW + 1);
      vi.setSystemTime((NOW + 2) * 1000);
      refuses({ ...base, exp: NOW + 1 }, {}, 'the token has expired');
    });
  });

  describe('nbf and iat', () => {
    test('a token is not valid before nbf, give or take the tolerance', () => {
      refuses({ ...base, nbf: NOW + 1 }, at(), 'the token is not valid yet');
      expect(checkClaims({ ...base, nbf: NOW }, at()).nbf).toBe(NOW);
      expect(checkClaims({ ...base, nbf: NOW + 5 }, at({ clockTolerance: 5 })).nbf).toBe(NOW + 5);
    });
    test('a token cannot be issued in the future', () => {
      refuses({ ...base, iat: NOW + 30 }, at(), 'the token was issued in the future');
      expect(checkClaims({ ...base, iat: NOW + 30 }, at({ clockTolerance: 30 })).iat).toBe(NOW + 30);
    });
    test('must be numbers', () => {
      refuses({ ...base, nbf: 'now' }, at(), 'nbf claim must be a number');
      refuses({ ...base, iat: [] }, at(), 'iat claim must be a number');
    });
    test('maxTokenAge requires iat and bounds the age', () => {
      refuses({ ...base, iat: undefined }, at({ maxTokenAge: 60 }), 'iat claim is missing');
      refuses({ ...base, iat: NOW - 61 }, at({ maxTokenAge: 60 }), 'the token is too old');
      expect(checkClaims({ ...base, iat: NOW - 60 }, at({ maxTokenAge: 60 })).iat).toBe(NOW - 60);
    });
  });

  describe('iss and aud', () => {
    test('iss must equal the issuer exactly', () => {
      refuses({ ...base, iss: 'https://idp.example' }, at({ issuer: base.iss }), 'unexpected iss');
      refuses({ ...base, iss: 'https://IDP.example/' }, at({ issuer: base.iss }), 'unexpected iss');
      refuses({ ...base, iss: undefined }, at({ issuer: base.iss }), 'unexpected iss');
    });
    test('aud may be a string or an array containing the audience', () => {
      expect(checkClaims({ ...base, aud: ['x', base.aud] }, at({ audience: base.aud }))).toBeTruthy();
      expect(checkClaims(base, at({ audience: ['other', base.aud] }))).toBeTruthy();
      refuses({ ...base, aud: 'https://api.example/' }, at({ audience: base.aud }), 'unexpected aud');
      refuses({ ...base, aud: ['x', 'y'] }, at({ audience: base.aud }), 'unexpected aud');
      refuses({ ...base, aud: undefined }, at({ audience: base.aud }), 'unexpected aud');
      refuses({ ...base, aud: [] }, at({ audience: base.aud }), 'unexpected aud');
    });
    test('registered claims must have their types', () => {
      refuses({ ...base, aud: [base.aud, 7] }, at(), 'aud claim must be a string or an array of strings');
      refuses({ ...base, aud: { a: 1 } }, at(), 'aud claim must be a string or an array of strings');
      refuses({ ...base, iss: 1 }, at(), 'iss claim must be a string');
      refuses({ ...base, sub: 1 }, at(), 'sub claim must be a string');
      refuses({ ...base, jti: false }, at(), 'jti claim must be a string');
    });
  });

  test('requiredClaims must be present', () => {
    refuses(base, at({ requiredClaims: ['jti'] }), 'jti claim is missing');
  });

  test.each<[string, ClaimsOptions]>([
    ['issuer', { issuer: '' }],
    ['audience', { audience: [] }],
    ['audience', { audience: [''] }],
    ['clockTolerance', { clockTolerance: -1 }],
    ['currentTime', { currentTime: Number.NaN }],
    ['maxTokenAge', { maxTokenAge: 0 }],
    ['requiredClaims', { requiredClaims: 'sub' as unknown as string[] }],
  ])('refuses a bad options.%s with TypeError', (name, options) => {
    expect(() => checkClaims(base, options)).toThrow(new RegExp(`options\\.${name}`));
    expect(() => checkClaims(base, options)).toThrow(TypeError);
  });
});
