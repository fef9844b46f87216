import { describe, expect, it } from 'vitest';
import { MAX_COOKIE_HEADER_LENGTH, MAX_COOKIE_PAIRS, parseCookieHeader, serializeCookie } from './cookie.js';

describe('serializeCookie', () => {
  it('writes the value and every attribute', () => {
    const cookie = serializeCookie('__Host-a', 'v1', {
      maxAge: 60.9,
      expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      path: '/',
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      partitioned: true,
    });
    expect(cookie).toBe(
      '__Host-a=v1; Max-Age=60; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Path=/; HttpOnly; Secure; SameSite=Lax; Partitioned',
    );
  });

  it('writes only the pair when given no options', () => {
    expect(serializeCookie('a', '')).toBe('a=');
  });

  it('enforces the __Host- and __Secure- prefix rules browsers apply', () => {
    const ok = { secure: true, path: '/' };
    expect(() => serializeCookie('__Host-a', 'v', { ...ok, secure: false })).toThrow(/^secure:/);
    expect(() => serializeCookie('__Host-a', 'v', { ...ok, path: '/app' })).toThrow(/^path:/);
    expect(() => serializeCookie('__Host-a', 'v', { ...ok, domain: 'example.com' })).toThrow(/^domain:/);
    expect(() => serializeCookie('__Secure-a', 'v', {})).toThrow(/^secure:/);
    expect(() => serializeCookie('a', 'v', { sameSite: 'None' })).toThrow(/^secure:/);
  });

  it('refuses names and values that would break the header', () => {
    expect(() => serializeCookie('a b', 'v')).toThrow(/^name:/);
    expect(() => serializeCookie('', 'v')).toThrow(/^name:/);
    expect(() => serializeCookie('a', 'v; Domain=evil.example')).toThrow(/^value:/);
    expect(() => serializeCookie('a', 'v\r\nSet-Cookie: x=1')).toThrow(/^value:/);
    expect(() => serializeCookie('a', 'v', { path: '/; Secure' })).toThrow(/^path:/);
    expect(() => serializeCookie('a', 'v', { maxAge: Number.NaN })).toThrow(/^maxAge:/);
  });
});

describe('parseCookieHeader', () => {
  it('reads pairs, trimming spaces and surrounding quotes', () => {
    const cookies = parseCookieHeader(' a=1;b = two ; c="quoted value";d=x=y');
    expect(Object.fromEntries(cookies)).toEqual({ a: '1', b: 'two', c: 'quoted value', d: 'x=y' });
  });

  it('keeps the first of repeated names', () => {
    expect(parseCookieHeader('sid=first; sid=second').get('sid')).toBe('first');
  });

  it('skips pairs without a name or an equals sign, and never throws', () => {
    expect(Object.fromEntries(parseCookieHeader('novalue; =orphan; ;;; ok=1; __proto__=x'))).toEqual({
      ok: '1',
      ['__proto__']: 'x',
    });
    for (const input of [undefined, null, 42, {}, [], '', ';', '=', '%E0%A4%A']) {
      expect(() => parseCookieHeader(input)).not.toThrow();
    }
    expect(parseCookieHeader('a=%E0%A4%A').get('a')).toBe('%E0%A4%A');
  });

  it('reads at most MAX_COOKIE_PAIRS pairs', () => {
    const header = Array.from({ length: 1000 }, (_, i) => `c${i}=v`).join('; ');
    const cookies = parseCookieHeader(header);
    expect(cookies.size).toBe(MAX_COOKIE_PAIRS);
    expect(cookies.has(`c${MAX_COOKIE_PAIRS}`)).toBe(false);
  });

  it('ignores what lies beyond MAX_COOKIE_HEADER_LENGTH, never a half-read value', () => {
    const filler = `pad=${'x'.repeat(MAX_COOKIE_HEADER_LENGTH - 10)}`;
    const cookies = parseCookieHeader(`${filler}; cut=${'y'.repeat(40)}; late=1`);
    expect(cookies.has('pad')).toBe(true);
    expect(cookies.has('cut')).toBe(false);
    expect(cookies.has('late')).toBe(false);
    expect(parseCookieHeader('z'.repeat(MAX_COOKIE_HEADER_LENGTH * 4)).size).toBe(0);
  });
});
