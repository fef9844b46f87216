import { describe, expect, it } from 'vitest';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from './client-secret.js';

describe('generateClientSecret', () => {
  it('returns 32 random bytes as unpadded base64url', () => {
    const secret = generateClientSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(new Set(Array.from({ length: 100 }, generateClientSecret)).size).toBe(100);
  });
});

describe('hashClientSecret', () => {
  it('is the SHA-256 of the secret in lower-case hex', () => {
    expect(hashClientSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('verifyClientSecret', () => {
  it('accepts the secret that was hashed and nothing else', () => {
    const secret = generateClientSecret();
    const stored = hashClientSecret(secret);
    expect(verifyClientSecret(stored, secret)).toBe(true);
    expect(verifyClientSecret(stored, `${secret}x`)).toBe(false);
    expect(verifyClientSecret(stored, secret.slice(1))).toBe(false);
    expect(verifyClientSecret(stored, '')).toBe(false);
  });

  it('refuses, without throwing, when the stored hash is malformed', () => {
    const secret = generateClientSecret();
    const stored = hashClientSecret(secret);
    expect(verifyClientSecret(stored.slice(2), secret)).toBe(false);
    expect(verifyClientSecret(`${stored.slice(1)}z`, secret)).toBe(false);
    expect(verifyClientSecret('', secret)).toBe(false);
  });
});
