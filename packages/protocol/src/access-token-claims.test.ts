import { describe, expect, it } from 'vitest';
import { MAX_NUMERIC_DATE, readAccessTokenClaims } from './access-token-claims.js';

const valid = {
  iss: 'https://idp.example/',
  sub: 'user_1',
  aud: 'https://api.example/',
  client_id: 'dragons',
  scope: 'openid read:dragons',
  iat: 1_800_000_000,
  exp: 1_800_000_600,
  jti: 'j1',
  roles: ['admin'],
  permissions: ['read:orders'],
};

const invalid = (claims: Record<string, unknown>) =>
  expect(() => readAccessTokenClaims(claims)).toThrow(expect.objectContaining({ error: 'invalid_token' }));

describe('readAccessTokenClaims', () => {
  it('reads what the token grants, without changing the claims', () => {
    const claims = structuredClone(valid);
    expect(readAccessTokenClaims(claims)).toEqual({
      sub: 'user_1',
      clientId: 'dragons',
      scopes: ['openid', 'read:dragons'],
      roles: ['admin'],
      permissions: ['read:orders'],
    });
    expect(claims).toEqual(valid);
  });

  it('falls back to azp and scp, and to empty lists', () => {
    expect(readAccessTokenClaims({ sub: 'a', azp: 'legacy', scp: ['read'] })).toEqual({
      sub: 'a',
      clientId: 'legacy',
      scopes: ['read'],
      roles: [],
      permissions: [],
    });
    expect(readAccessTokenClaims({ sub: 'a', scope: '' }).scopes).toEqual([]);
    expect(readAccessTokenClaims({ sub: 'a', scope: ' read  write ' }).scopes).toEqual(['read', 'write']);
  });

  it.each([
    ['scope', ['openid']],
    ['scope', { openid: true }],
    ['scope', 7],
    ['sub', 42],
    ['sub', ''],
    ['client_id', 7],
    ['azp', ['a']],
    ['jti', 7],
    ['sid', null],
    ['roles', 'admin'],
    ['permissions', [1]],
    ['scp', 'read'],
  ])('refuses %s of the wrong type: %j', (name, value) => {
    invalid({ ...valid, [name]: value });
  });

  it.each(['sub', 'client_id', 'azp', 'jti', 'sid'])('refuses control characters in %s', (name) => {
    for (const control of ['\u0000', '\t', '\n', '\u007f', '\u0085'])
      invalid({ ...valid, [name]: `a${control}` });
  });

  it.each(['exp', 'iat', 'nbf', 'auth_time'])('takes %s as whole seconds from 0 to 9999-12-31', (name) => {
    expect(() => readAccessTokenClaims({ ...valid, [name]: 0 })).not.toThrow();
    expect(() => readAccessTokenClaims({ ...valid, [name]: MAX_NUMERIC_DATE })).not.toThrow();
    expect(MAX_NUMERIC_DATE).toBe(Date.UTC(9999, 11, 31, 23, 59, 59) / 1000);
    for (const value of [1_800_000_000.5, -1, MAX_NUMERIC_DATE + 1, 1e300, '1800000000', null, true]) {
      invalid({ ...valid, [name]: value });
    }
  });

  it('returns the claims’ own lists', () => {
    const claims = structuredClone(valid);
    const read = readAccessTokenClaims(claims);
    expect(read.roles).toBe(claims.roles);
    expect(read.permissions).toBe(claims.permissions);
  });
});
