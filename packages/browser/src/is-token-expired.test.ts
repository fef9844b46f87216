import { encodeBase64Url } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { isTokenExpired } from './is-token-expired.js';

const now = Date.UTC(2026, 0, 1);
const jwt = (payload: Record<string, unknown>) =>
  `${encodeBase64Url('{"alg":"RS256"}')}.${encodeBase64Url(JSON.stringify(payload))}.c2ln`;

describe('isTokenExpired', () => {
  it('is false while exp is ahead, true from exp on', () => {
    const token = jwt({ exp: now / 1000 + 30 });
    expect(isTokenExpired(token, 0, now)).toBe(false);
    expect(isTokenExpired(token, 0, now + 29_999)).toBe(false);
    expect(isTokenExpired(token, 0, now + 30_000)).toBe(true);
  });

  it('counts a token expiring within the leeway as expired', () => {
    const token = jwt({ exp: now / 1000 + 30 });
    expect(isTokenExpired(token, 29, now)).toBe(false);
    expect(isTokenExpired(token, 30, now)).toBe(true);
  });

  it('counts missing, opaque, encrypted and exp-less tokens as expired', () => {
    for (const token of [
      undefined,
      null,
      '',
      'opaque-token',
      'a.b.c.d.e',
      jwt({ sub: 'x' }),
      jwt({ exp: '2' }),
    ]) {
      expect(isTokenExpired(token, 0, now)).toBe(true);
    }
  });

  it('reads the clock when no time is given', () => {
    expect(isTokenExpired(jwt({ exp: Math.floor(Date.now() / 1000) + 3600 }))).toBe(false);
  });
});
