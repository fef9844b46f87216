import { describe, expect, it } from 'vitest';
import { checkEmailAddress, emailAddressProblems } from './check-email-address.js';
import { normalizeEmail } from './normalize-login.js';

const compatibility =
  'The email address contains a special form of a letter (such as a full-width letter or the Kelvin sign). Type it with ordinary letters.';
const invisible = 'The email address contains an invisible or control character.';

function accepted(input: string): string {
  const check = checkEmailAddress(input);
  if (!check.ok) throw new Error(`${JSON.stringify(input)} refused: ${check.problem}`);
  return check.email;
}

function problem(input: string): string {
  const check = checkEmailAddress(input);
  if (check.ok) throw new Error(`${JSON.stringify(input)} accepted as ${check.email}`);
  return check.problem;
}

describe('checkEmailAddress', () => {
  it('accepts ordinary addresses and returns them lowercased', () => {
    expect(accepted('user@example.com')).toBe('user@example.com');
    expect(accepted('  Frodo.Baggins+ring@Shire.EXAMPLE.org ')).toBe('frodo.baggins+ring@shire.example.org');
    expect(accepted("o'brien_{x}|~!#$%&*=?^`-/@example.com")).toBe("o'brien_{x}|~!#$%&*=?^`-/@example.com");
  });

  it('accepts Unicode addresses: accented local parts and internationalised domains', () => {
    expect(accepted('émile@example.com')).toBe('émile@example.com');
    expect(accepted('Émile-x@Example.com')).toBe('émile-x@example.com');
    expect(accepted('用户@例子.广告')).toBe('用户@例子.广告');
    expect(accepted('пользователь@пример.рф')).toBe('пользователь@пример.рф');
    expect(accepted('δοκιμή@παράδειγμα.δοκιμή')).toBe('δοκιμή@παράδειγμα.δοκιμή');
    expect(accepted('user@bücher.de')).toBe('user@bücher.de');
    expect(accepted('χρήστης@ελληνικά.gr')).toBe('χρήστης@ελληνικά.gr');
    expect(accepted('user@日本語ドメイン.jp')).toBe('user@日本語ドメイン.jp');
    expect(accepted('user@한국어도메인.kr')).toBe('user@한국어도메인.kr');
    expect(accepted('user@מבחן.il')).toBe('user@מבחן.il');
  });

  it('takes NFC and NFD input to the same address', () => {
    const nfc = 'E\u0301mile@e\u0301cole.fr'.normalize('NFC');
    const nfd = 'E\u0301mile@e\u0301cole.fr';
    expect(nfc).not.toBe(nfd);
    expect(accepted(nfd)).toBe('émile@école.fr');
    expect(accepted(nfc)).toBe(accepted(nfd));
    expect(accepted(nfd)).toBe(accepted(nfd).normalize('NFC'));
  });

  it('takes punycode labels to the same address as their Unicode form', () => {
    expect(accepted('用户@xn--fsqu00a.xn--4rr70v')).toBe('用户@例子.广告');
    expect(accepted('user@XN--BCHER-KVA.de')).toBe('user@bücher.de');
  });

  it('refuses punycode that does not decode to a valid label, or decodes to a look-alike', () => {
    expect(problem('user@xn--zz.com')).toBe(emailAddressProblems.domain);
    expect(problem('user@xn--abc.com')).toBe(emailAddressProblems.domain);
    // еxаmрlе.соm with Cyrillic е а р, с о, sent as punycode.
    expect(problem('user@xn--xml-6cdxe9e.xn--m-0tbi')).toBe(emailAddressProblems.mixedScripts);
  });

  it('refuses domains mixing Latin and Cyrillic look-alikes', () => {
    expect(problem('fuzz@еxаmрlе.соm')).toBe(emailAddressProblems.mixedScripts);
    expect(problem('fuzz@example.соm')).toBe(emailAddressProblems.mixedScripts);
    expect(problem('fuzz@раураl.com')).toBe(emailAddressProblems.mixedScripts);
    expect(problem('fuzz@gοοgle.com')).toBe(emailAddressProblems.mixedScripts); // Greek omicrons
  });

  it('allows the mixtures Japanese, Korean and Chinese writing needs, not others', () => {
    expect(accepted('user@ひらがなカタカナ漢字.jp')).toBe('user@ひらがなカタカナ漢字.jp');
    expect(accepted('user@コーヒー.jp')).toBe('user@コーヒー.jp');
    expect(accepted('user@漢字한글.kr')).toBe('user@漢字한글.kr');
    expect(accepted('user@ㄅㄆ漢字.tw')).toBe('user@ㄅㄆ漢字.tw');
    expect(accepted('user@exam-ple2.com')).toBe('user@exam-ple2.com');
    expect(problem('user@latin漢字.com')).toBe(emailAddressProblems.mixedScripts);
    expect(problem('user@ひらがな한글.com')).toBe(emailAddressProblems.mixedScripts);
    expect(problem('user@ελληνικάlatin.com')).toBe(emailAddressProblems.mixedScripts);
  });

  it('refuses labels in scripts outside the recommended ones, and symbols', () => {
    expect(problem('user@ᏣᎳᎩ.com')).toBe(emailAddressProblems.unsupportedScript); // Cherokee
    expect(problem('user@ᚠᚢᚦ.com')).toBe(emailAddressProblems.unsupportedScript); // Runic
    expect(problem('user@i❤.com')).toBe(emailAddressProblems.domain);
    expect(problem('user@xn--ls8h.la')).toBe(emailAddressProblems.domain); // an emoji label
  });

  it('refuses the Kelvin sign and other compatibility characters instead of folding them', () => {
    expect(problem('\u212Aelvin@example.com')).toBe(compatibility);
    expect(problem('user@\u212Aelvin.com')).toBe(compatibility);
    expect(problem('user@ｅｘａｍｐｌｅ.com')).toBe(compatibility);
    expect(problem('ｕｓｅｒ@example.com')).toBe(compatibility);
    expect(problem('ﬁle@example.com')).toBe(compatibility); // the fi ligature
    expect(problem('user²@example.com')).toBe(compatibility);
    expect(problem('user@example\uFF0Ecom')).toBe(compatibility); // full-width full stop
    expect(problem('\u2126mega@example.com')).toBe(compatibility); // the Ohm sign
  });

  it('refuses control, format and invisible characters', () => {
    for (const input of [
      'nul\u0000@example.com',
      '\u202emoc.elpmaxe@evil.example',
      'zero\u200Bwidth@example.com',
      'user@exa\u00ADmple.com', // soft hyphen, which UTS #46 would drop silently
      'user\uFE0F@example.com',
      'user\uE000@example.com',
      '\uD800user@example.com',
    ]) {
      expect(problem(input), JSON.stringify(input)).toBe(invisible);
    }
  });

  it('refuses what is not an address', () => {
    for (const input of [
      '',
      '   ',
      'not-an-email',
      '@example.com',
      'user@',
      'two@@example.com',
      'a b@example.com',
      'a\u00A0b@example.com',
      '"quoted"@example.com',
      '.user@example.com',
      'user.@example.com',
      'us..er@example.com',
      'user@localhost',
      'user@192.0.2.1',
      'user@[192.0.2.1]',
      'user(comment)@example.com',
      'user@exa_mple.com',
      'user@-example.com',
      'user@example-.com',
      'user@ab--cd.com',
      'us€r@example.com',
      'user™@example.com',
      '\u0301user@example.com',
    ]) {
      expect(problem(input), JSON.stringify(input)).toMatch(
        /^(Enter a valid|The domain of|The email address contains)/,
      );
    }
    expect(problem('a b@example.com')).toBe(emailAddressProblems.invalid);
    expect(problem('user@localhost')).toBe(emailAddressProblems.domain);
  });

  it('refuses empty labels', () => {
    for (const input of ['user@example..com', 'user@.example.com', 'user@example.com.', 'user@.']) {
      expect(problem(input), input).toBe(emailAddressProblems.domain);
    }
  });

  it('keeps the lengths of RFC 5321: 64 bytes of local part, 63-character labels, 254 bytes in all', () => {
    expect(accepted(`${'a'.repeat(64)}@example.com`)).toBe(`${'a'.repeat(64)}@example.com`);
    expect(problem(`${'a'.repeat(65)}@example.com`)).toBe(emailAddressProblems.tooLong);
    // 32 two-byte letters fit, 33 do not.
    expect(accepted(`${'é'.repeat(32)}@example.com`)).toBe(`${'é'.repeat(32)}@example.com`);
    expect(problem(`${'é'.repeat(33)}@example.com`)).toBe(emailAddressProblems.tooLong);
    expect(accepted(`user@${'a'.repeat(63)}.com`)).toBe(`user@${'a'.repeat(63)}.com`);
    expect(problem(`user@${'a'.repeat(64)}.com`)).toBe(emailAddressProblems.domain);
    const label = 'a'.repeat(60);
    const longDomain = `${label}.${label}.${label}.${label}.com`;
    const fits = 'b'.repeat(254 - 1 - longDomain.length);
    expect(accepted(`${fits}@${longDomain}`)).toBe(`${fits}@${longDomain}`);
    expect(problem(`${fits}b@${longDomain}`)).toBe(emailAddressProblems.tooLong);
    expect(problem(`user@${label}.${label}.${label}.${label}.${'b'.repeat(10)}`)).toBe(
      emailAddressProblems.domain,
    );
  });

  it('returns what normalizeEmail makes of the address, so sign-in finds it', () => {
    for (const input of [
      'Émile-x@Example.com',
      'İstanbul@example.com',
      'STRASSE@example.de',
      'ΟΔΟΣ@example.gr',
    ]) {
      expect(accepted(input)).toBe(normalizeEmail(input));
    }
  });
});
