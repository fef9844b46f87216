import { describe, expect, test } from 'vitest';
import { sha256, sha256Base64Url, sha256Hex, timingSafeEqual } from './hash.js';

describe('sha256', () => {
  test('hashes strings as UTF-8 and bytes as given (FIPS 180-2 "abc")', async () => {
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(await sha256Hex('abc')).toBe(expected);
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe(expected);
    expect(Buffer.from(await sha256('abc')).toString('hex')).toBe(expected);
    expect(await sha256Base64Url('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  test('hashes non-ASCII text as UTF-8', async () => {
    expect(await sha256Hex('é')).toBe(await sha256Hex(new Uint8Array([0xc3, 0xa9])));
  });
});

describe('timingSafeEqual', () => {
  test('compares strings', () => {
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual('secret-value', 'secret-value')).toBe(true);
    expect(timingSafeEqual('secret-value', 'secret-valuf')).toBe(false);
    expect(timingSafeEqual('Secret-value', 'secret-value')).toBe(false);
    expect(timingSafeEqual('secret', 'secret-value')).toBe(false);
    expect(timingSafeEqual('é', 'e')).toBe(false);
  });

  test('refuses non-strings', () => {
    // @ts-expect-error wrong type on purpose
    expect(() => timingSafeEqual(undefined, '')).toThrow(TypeError);
  });
});
