import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('returns 128 random bits as 32 lower-case hex characters', () => {
    expect(newId()).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(Array.from({ length: 1000 }, () => newId())).size).toBe(1000);
  });

  it('puts a prefix and an underscore in front when asked', () => {
    expect(newId('user')).toMatch(/^user_[0-9a-f]{32}$/);
  });

  it('rejects a prefix that is not a short lower-case word', () => {
    for (const prefix of ['', 'User', 'a-b', '1a', 'a_b', 'x'.repeat(17)]) {
      expect(() => newId(prefix)).toThrow(/prefix/);
    }
  });
});
