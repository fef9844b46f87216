import { describe, expect, it } from 'vitest';
import { hasControlCharacter } from './has-control-character.js';

describe('hasControlCharacter', () => {
  it('finds C0 controls, DEL and C1 controls anywhere in the text', () => {
    for (let code = 0; code <= 0x1f; code++)
      expect(hasControlCharacter(`a${String.fromCharCode(code)}b`)).toBe(true);
    for (let code = 0x7f; code <= 0x9f; code++)
      expect(hasControlCharacter(String.fromCharCode(code))).toBe(true);
  });

  it('passes printable text of any script, formatting characters and emoji', () => {
    for (const text of [
      '',
      'client-1',
      'café',
      '\u00a0',
      '\u00a0\u00ff',
      '\u202e',
      '\u200b',
      '\u{1f409}',
      '\ufffd',
    ]) {
      expect(hasControlCharacter(text)).toBe(false);
    }
  });
});
