import { expect, test } from 'vitest';
import { decodeBase64Url } from './base64url.js';
import { randomToken } from './random.js';

test('returns base64url of the requested number of random bytes', () => {
  expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(decodeBase64Url(randomToken())).toHaveLength(32);
  expect(decodeBase64Url(randomToken(16))).toHaveLength(16);
  expect(decodeBase64Url(randomToken(1024))).toHaveLength(1024);
});

test('does not repeat', () => {
  const tokens = new Set(Array.from({ length: 1000 }, () => randomToken(16)));
  expect(tokens.size).toBe(1000);
});

test.each([0, 8, 15, 16.5, 1025, Number.NaN])('refuses %s bytes', (bytes) => {
  expect(() => randomToken(bytes)).toThrow(TypeError);
});
