import { describe, expect, it } from 'vitest';
import { initialOf } from './initial.js';

describe('initialOf', () => {
  it('takes the first letter or digit, upper-cased, skipping punctuation', () => {
    expect(initialOf('dragons')).toBe('D');
    expect(initialOf('  <script>')).toBe('S');
    expect(initialOf('élan')).toBe('É');
    expect(initialOf('42 Apps')).toBe('4');
  });

  it('falls back to "?" when there is no letter or digit', () => {
    expect(initialOf('')).toBe('?');
    expect(initialOf('<>!')).toBe('?');
  });
});
