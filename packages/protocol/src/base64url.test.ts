import { describe, expect, test } from 'vitest';
import { decodeBase64Url, encodeBase64Url, tryDecodeBase64Url } from './base64url.js';
import { OAuthError } from './oauth-error.js';

describe('encodeBase64Url', () => {
  test('matches RFC 4648 base64url without padding for every length and byte value', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    for (let length = 0; length <= 256; length += length < 8 ? 1 : 31) {
      const bytes = all.subarray(0, length);
      expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
    expect(encodeBase64Url(all.reverse())).toBe(Buffer.from(all).toString('base64url'));
  });

  test('encodes strings as UTF-8', () => {
    expect(encodeBase64Url('héllo ✓')).toBe(Buffer.from('héllo ✓', 'utf8').toString('base64url'));
    expect(encodeBase64Url('')).toBe('');
  });
});

describe('decodeBase64Url', () => {
  test('round-trips', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = crypto.getRandomValues(new Uint8Array(length));
      expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
    }
  });

  test.each([
    ['padding', 'QQ=='],
    ['padding on a full block', 'QUJD='],
    ['whitespace', 'QUJD QUJD'],
    ['a newline', 'QUJD\nQUJD'],
    ['plain base64 "+"', 'ab+c'],
    ['plain base64 "/"', 'ab/c'],
    ['a "?"', 'QU?D'],
    ['a non-ASCII letter', 'QUJé'],
    ['length 1 mod 4', 'QUJDQ'],
    ['a single character', 'A'],
    ['non-zero unused bits (2 chars)', 'QR'],
    ['non-zero unused bits (3 chars)', 'QUJ'],
  ])('rejects %s', (_, text) => {
    expect(tryDecodeBase64Url(text)).toBeUndefined();
    expect(() => decodeBase64Url(text)).toThrow(OAuthError);
  });

  test('accepts the canonical spellings next to the rejected ones', () => {
    expect(decodeBase64Url('QQ')).toEqual(new Uint8Array([0x41]));
    expect(decodeBase64Url('QUI')).toEqual(new Uint8Array([0x41, 0x42]));
    expect(decodeBase64Url('')).toEqual(new Uint8Array());
    expect(decodeBase64Url('-_-_')).toEqual(new Uint8Array(Buffer.from('-_-_', 'base64url')));
  });

  test('throws invalid_request for malformed input', () => {
    expect(() => decodeBase64Url('QQ==')).toThrow(expect.objectContaining({ error: 'invalid_request' }));
  });
});
