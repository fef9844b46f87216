import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import {
  checkPasswordPolicy,
  createDummyPasswordCheck,
  hashPassword,
  passwordNeedsRehash,
  verifyPassword,
  verifyPasswordOfUnknownUser,
} from './password.js';

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id m=19456 t=2 p=1 and a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(second).not.toBe(first);
  });

  it('accepts the right password and refuses any other', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('accepts a password typed in another Unicode form (NFKC)', async () => {
    const stored = await hashPassword('caf\u00e9-cr\u00e8me');
    expect(await verifyPassword(stored, 'cafe\u0301-cre\u0300me')).toBe(true);
  });

  it('refuses, without throwing, when the stored hash is malformed', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever1')).toBe(false);
    expect(await verifyPassword('', 'whatever1')).toBe(false);
  });
});

describe('passwordNeedsRehash', () => {
  it('is false for a current hash, true for weaker parameters or a foreign format', async () => {
    expect(passwordNeedsRehash(await hashPassword('password-1'))).toBe(false);
    expect(
      passwordNeedsRehash(await hash('password-1', { memoryCost: 4096, timeCost: 3, parallelism: 1 })),
    ).toBe(true);
    expect(passwordNeedsRehash('$2b$10$abcdefghijklmnopqrstuu5Xq1DJ0ddC3r9F0H8yL8h8p4v2J8F2e')).toBe(true);
  });
});

describe('unknown-user checks', () => {
  it('always refuse, whatever password is given', async () => {
    const dummy = createDummyPasswordCheck();
    await dummy.warmUp();
    expect(await dummy.check('correct horse battery staple')).toBe(false);
    expect(await dummy.check('')).toBe(false);
    expect(await verifyPasswordOfUnknownUser('anything at all')).toBe(false);
  });
});

describe('checkPasswordPolicy', () => {
  it('asks for at least 8 and at most 256 characters', () => {
    expect(checkPasswordPolicy('1234567')).toBe('Password must be at least 8 characters.');
    expect(checkPasswordPolicy('12345678')).toBeNull();
    expect(checkPasswordPolicy('x'.repeat(256))).toBeNull();
    expect(checkPasswordPolicy('x'.repeat(257))).toBe('Password must be at most 256 characters.');
  });

  it('counts characters, not UTF-16 units or combining marks', () => {
    expect(checkPasswordPolicy('🐉'.repeat(8))).toBeNull();
    expect(checkPasswordPolicy('🐉'.repeat(7))).toBe('Password must be at least 8 characters.');
    expect(checkPasswordPolicy('e\u0301'.repeat(4))).toBe('Password must be at least 8 characters.');
  });
});
