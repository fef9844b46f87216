import { describe, expect, it } from 'vitest';
import { scriptProblem } from './script-problem.js';

describe('scriptProblem', () => {
  it('accepts a label in one script, with digits, hyphens and combining marks', () => {
    for (const label of [
      'example',
      'ex-ample2',
      '\u043f\u0440\u0438\u043c\u0435\u0440',
      'e\u0301cole',
      '123',
      'b\u00fccher',
      '\u0645\u062b\u0627\u0644',
      '\u0909\u0926\u093e\u0939\u0930\u0923',
    ]) {
      expect(scriptProblem(label), label).toBeUndefined();
    }
  });

  it('accepts the Japanese, Korean and Han + Bopomofo combinations', () => {
    expect(scriptProblem('\u6f22\u5b57\u3072\u3089\u304c\u306a\u30ab\u30bf\u30ab\u30ca')).toBeUndefined();
    expect(scriptProblem('\u30b3\u30fc\u30d2\u30fc')).toBeUndefined(); // ー belongs to Hiragana and Katakana
    expect(scriptProblem('\u6f22\u5b57\ud55c\uae00')).toBeUndefined();
    expect(scriptProblem('\u3105\u3106\u6f22\u5b57')).toBeUndefined();
  });

  it('refuses Latin with Cyrillic or Greek look-alikes, and other mixtures', () => {
    expect(scriptProblem('\u0435x\u0430m\u0440l\u0435')).toBe('mixed'); // еxаmрlе
    expect(scriptProblem('g\u03bf\u03bfgle')).toBe('mixed'); // Greek omicrons
    expect(scriptProblem('latin\u6f22\u5b57')).toBe('mixed');
    expect(scriptProblem('\u3072\u3089\ud55c\uae00')).toBe('mixed'); // Hiragana with Hangul
    expect(scriptProblem('\u3105\u3072\u3089')).toBe('mixed'); // Bopomofo with Hiragana
    expect(scriptProblem('abc\u09ea')).toBe('mixed'); // a Bengali digit four, which looks like 8
  });

  it('refuses scripts outside the recommended ones', () => {
    expect(scriptProblem('\u13a0\u13a1')).toBe('unsupported'); // Cherokee
    expect(scriptProblem('\u16a0\u16a2')).toBe('unsupported'); // Runic
  });
});
