import { describe, expect, it } from 'vitest';
import { foldIdentifier, normalizeEmail, normalizeLogin, normalizeUsername } from './normalize-login.js';

describe('foldIdentifier', () => {
  it('composes decomposed input (NFC) and lowercases it', () => {
    expect(foldIdentifier('E\u0301MILE')).toBe('\u00e9mile');
    expect(foldIdentifier('\u00c9mile')).toBe('\u00e9mile');
  });

  it('lowercases the same way in every locale: Turkish dotted and dotless I', () => {
    expect(foldIdentifier('I')).toBe('i');
    expect(foldIdentifier('\u0130')).toBe('i\u0307'); // İ: i with a combining dot, not i
    expect(foldIdentifier('\u0131')).toBe('\u0131'); // ı stays dotless
    expect(foldIdentifier('\u0130stanbul')).not.toBe(foldIdentifier('Istanbul'));
  });

  it('keeps German ß apart from ss (no full case folding), and maps capital ẞ to ß', () => {
    expect(foldIdentifier('Stra\u00dfe')).toBe('stra\u00dfe');
    expect(foldIdentifier('STRASSE')).toBe('strasse');
    expect(foldIdentifier('STRA\u1e9eE')).toBe('stra\u00dfe');
  });

  it('lowercases a word-final capital sigma to final sigma', () => {
    expect(foldIdentifier('\u039f\u0394\u039f\u03a3')).toBe('\u03bf\u03b4\u03bf\u03c2'); // ΟΔΟΣ -> οδος
    expect(foldIdentifier('\u03bf\u03b4\u03bf\u03c2')).toBe('\u03bf\u03b4\u03bf\u03c2');
    expect(foldIdentifier('\u03a3\u039f\u03a6\u0399\u0391')).toBe('\u03c3\u03bf\u03c6\u03b9\u03b1'); // ΣΟΦΙΑ -> σοφια
  });

  it('is idempotent', () => {
    for (const text of [
      'E\u0301MILE',
      '\u0130stanbul',
      'STRA\u1e9eE',
      '\u039f\u0394\u039f\u03a3',
      '\u212a',
    ]) {
      expect(foldIdentifier(foldIdentifier(text))).toBe(foldIdentifier(text));
    }
  });
});

describe('normalizeEmail', () => {
  it('folds the local part and processes the domain with UTS #46', () => {
    expect(normalizeEmail('\u00c9mile-x@EXAMPLE.com')).toBe('\u00e9mile-x@example.com');
    expect(normalizeEmail('e\u0301mile-x@example.COM')).toBe('\u00e9mile-x@example.com');
    expect(normalizeEmail('user@B\u00dcCHER.de')).toBe('user@b\u00fccher.de');
  });

  it('decodes punycode labels, so the ASCII and Unicode forms of a domain are one address', () => {
    expect(normalizeEmail('\u7528\u6237@XN--FSQU00A.xn--4rr70v')).toBe(
      '\u7528\u6237@\u4f8b\u5b50.\u5e7f\u544a',
    );
    expect(normalizeEmail('user@xn--bcher-kva.de')).toBe(normalizeEmail('user@b\u00fccher.de'));
  });

  it('splits at the last @ and folds text without one whole', () => {
    expect(normalizeEmail('"a@b"@Example.com')).toBe('"a@b"@example.com');
    expect(normalizeEmail('Bilbo')).toBe('bilbo');
  });

  it('never throws, whatever it is given', () => {
    for (const text of [
      '',
      '@',
      'a@',
      '@@',
      'x@xn--zz',
      'x@\u0000',
      `x@${'a'.repeat(5000)}`,
      'x@\ud800',
      'x@[::1]',
    ]) {
      expect(typeof normalizeEmail(text)).toBe('string');
    }
  });
});

describe('normalizeLogin', () => {
  it('treats text with @ as an email address and other text as a username', () => {
    expect(normalizeLogin('Bilbo')).toBe(normalizeUsername('Bilbo'));
    expect(normalizeLogin('user@XN--BCHER-KVA.de')).toBe('user@b\u00fccher.de');
  });
});
