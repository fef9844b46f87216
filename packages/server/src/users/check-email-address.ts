import { toASCII, toUnicode } from 'tr46';
import { characterProblem, describeCharacterProblem } from './character-problem.js';
import { domainProcessing, normalizeEmail } from './normalize-login.js';
import { scriptProblem } from './script-problem.js';

/** An address that may be registered, in its canonical form, or why it may not (a sentence for the user). */
export type EmailAddressCheck = { ok: true; email: string } | { ok: false; problem: string };

export const emailAddressProblems = Object.freeze({
  invalid: 'Enter a valid email address.',
  tooLong: 'The email address is too long.',
  domain: 'The domain of the email address (after the @) is not a valid domain name.',
  mixedScripts:
    'The domain of the email address mixes letters of different scripts, such as Latin and Cyrillic, in one part.',
  unsupportedScript: 'The domain of the email address uses a script that is not accepted in domain names.',
});

/**
 * A dot-atom (RFC 5322 §3.2.3) of ASCII `atext` and, as RFC 6532 allows, non-ASCII letters, marks
 * and digits; no quoted strings, no comments, no leading, trailing or double dot.
 */
const localPartPattern =
  /^(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|\P{ASCII})+(?:\.(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|\P{ASCII})+)*$/u;
const nonAsciiOtherThanWords = /[^\p{ASCII}\p{L}\p{M}\p{N}]/u;
const atomStartsWithMark = /(?:^|\.)\p{M}/u;
/** What a domain label may hold once processed: letters, marks, digits and the hyphen (IDNA2008 leaves out symbols). */
const labelPattern = /^[\p{L}\p{M}\p{Nd}-]+$/u;

const utf8 = new TextEncoder();

/**
 * Decides whether `input` (trimmed) may be registered as an email address, and returns its
 * canonical form (`normalizeEmail`). It checks:
 *
 * - no invisible, control or compatibility character anywhere (`characterProblem`), so `K`
 *   (the Kelvin sign) and full-width `ｅｘａｍｐｌｅ` are refused rather than folded into `k` and
 *   `example`;
 * - the local part is a dot-atom of ASCII `atext` or non-ASCII letters, marks and digits, at most
 *   64 bytes of UTF-8 (RFC 5321 §4.5.3.1.1);
 * - the domain is valid under UTS #46 (nontransitional, STD3 rules, hyphen, joiner and bidi
 *   checks; `xn--` labels must decode to valid labels), at most 253 characters in ASCII with
 *   labels of 1 to 63, at least two labels, a top-level label that is not all digits, and every
 *   label holds letters, marks, digits or hyphens written in a single script (`scriptProblem`),
 *   so `еxаmрlе.соm` with Cyrillic letters is refused;
 * - the whole address is at most 254 bytes (UTF-8 local part, ASCII domain).
 *
 * It does NOT check that the domain exists or receives mail, does NOT accept quoted local parts
 * or address literals (`[192.0.2.1]`), and does NOT detect whole-script look-alikes.
 */
export function checkEmailAddress(input: string): EmailAddressCheck {
  const typed = input.trim();
  const at = typed.lastIndexOf('@');
  if (at <= 0 || at === typed.length - 1 || /\p{White_Space}/u.test(typed)) {
    return refuse(emailAddressProblems.invalid);
  }
  const characters = characterProblem(typed);
  if (characters) return refuse(describeCharacterProblem(characters, 'the email address'));

  const local = typed.slice(0, at).normalize('NFC');
  if (!localPartPattern.test(local) || nonAsciiOtherThanWords.test(local) || atomStartsWithMark.test(local)) {
    return refuse(emailAddressProblems.invalid);
  }
  if (utf8.encode(local).length > 64) return refuse(emailAddressProblems.tooLong);

  const domain = typed.slice(at + 1);
  const ascii = toASCII(domain, { ...domainProcessing, verifyDNSLength: true });
  if (ascii === null) return refuse(emailAddressProblems.domain);
  const asciiLabels = ascii.split('.');
  if (asciiLabels.length < 2 || /^[0-9]+$/.test(asciiLabels.at(-1) ?? '')) {
    return refuse(emailAddressProblems.domain);
  }
  for (const label of toUnicode(domain, domainProcessing).domain.split('.')) {
    if (!labelPattern.test(label)) return refuse(emailAddressProblems.domain);
    const script = scriptProblem(label);
    if (script === 'mixed') return refuse(emailAddressProblems.mixedScripts);
    if (script === 'unsupported') return refuse(emailAddressProblems.unsupportedScript);
  }
  if (utf8.encode(local).length + 1 + ascii.length > 254) return refuse(emailAddressProblems.tooLong);

  return { ok: true, email: normalizeEmail(`${local}@${domain}`) };
}

function refuse(problem: string): EmailAddressCheck {
  return { ok: false, problem };
}
