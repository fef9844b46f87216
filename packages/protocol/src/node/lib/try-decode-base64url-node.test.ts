import { describe, expect, it } from 'vitest';
import { encodeBase64Url, tryDecodeBase64Url } from '../../base64url.js';
import { tryDecodeBase64UrlNode } from './try-decode-base64url-node.js';

describe('tryDecodeBase64UrlNode', () => {
  it('decodes canonical base64url as the strict decoder does', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 73 + length * 31) & 255);
      const text = encodeBase64Url(bytes);
      expect(tryDecodeBase64UrlNode(text)).toEqual(bytes);
    }
  });

  it.each([
    ['padding', 'YQ=='],
    ['padding without the rest', 'YWI='],
    ['plain base64 characters', 'a+b/'],
    ['whitespace', 'YW Jj'],
    ['a line break', 'YWJj\n'],
    ['a length of 1 mod 4', 'YWJjZ'],
    ['unused bits set (2 characters)', 'YR'],
    ['unused bits set (3 characters)', 'YWJ'],
    ['a non-ASCII character', 'YWJé'],
    ['a dot', 'YW.j'],
  ])('refuses %s like the strict decoder', (_, text) => {
    expect(tryDecodeBase64Url(text)).toBeUndefined();
    expect(tryDecodeBase64UrlNode(text)).toBeUndefined();
  });

  it('accepts the empty string as no bytes', () => {
    expect(tryDecodeBase64UrlNode('')).toEqual(new Uint8Array(0));
  });

  it('refuses what is not a string', () => {
    expect(tryDecodeBase64UrlNode(42 as unknown as string)).toBeUndefined();
  });
});
