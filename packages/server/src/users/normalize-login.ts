import { toUnicode } from 'tr46';

/**
 * The one canonical form of the identifiers a user signs in with. Every store keeps emails and
 * usernames in this form and looks them up by exact match, so SQLite and PostgreSQL agree with
 * each other and with their unique indexes whatever collation a database has.
 *
 * These functions never throw and never refuse anything: they also run on what someone types
 * in the login field, which may be anything. Deciding what may be registered is
 * `checkEmailAddress` and `checkUsername`.
 */

/**
 * Unicode NFC, then the Unicode default lowercase mapping (`toLowerCase`, the same in every
 * locale: `I` becomes `i` even for Turkish, `İ` becomes `i̇`), then NFC again (lowercasing can
 * leave a string unnormalised).
 *
 * Lowercase rather than full case folding (Unicode CaseFolding.txt, C+F): folding would make
 * `straße` and `strasse` one account, but they are two mailboxes at every mail provider, as they
 * are two domain names in IDNA2008; and folding has no platform implementation in JavaScript,
 * while the stored form doubles as the address shown to the user, which lowercase keeps
 * readable. The price: Greek `ΟΔΟΣ` lowercases to `οδος` (final sigma, which `toLowerCase`
 * applies) while `Οδοσ` stays `οδοσ`; those are two accounts.
 */
export function foldIdentifier(text: string): string {
  return text.normalize('NFC').toLowerCase().normalize('NFC');
}

/**
 * The options of UTS #46 processing used for domains: nontransitional (IDNA2008: `ß` and `ς`
 * stay themselves), with the STD3 ASCII rules (letters, digits, hyphen), hyphen, joiner and
 * bidi checks.
 */
export const domainProcessing = Object.freeze({
  checkHyphens: true,
  checkBidi: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  transitionalProcessing: false,
});

/**
 * The canonical form of an email address: the local part (before the last `@`) through
 * `foldIdentifier`, the domain through UTS #46 `ToUnicode` (which lowercases, applies NFC and
 * decodes `xn--` labels, so `用户@xn--fsqu00a.xn--4rr70v` and `用户@例子.广告` are one address).
 * Text without `@` is folded whole. Does NOT trim and does NOT validate.
 */
export function normalizeEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 0) return foldIdentifier(email);
  const local = foldIdentifier(email.slice(0, at));
  const domain = toUnicode(email.slice(at + 1), domainProcessing).domain;
  return `${local}@${domain}`;
}

/** The canonical form of a username: `foldIdentifier`. Does NOT trim and does NOT validate. */
export function normalizeUsername(username: string): string {
  return foldIdentifier(username);
}

/**
 * The canonical form of what the login field holds, for keys such as the sign-in throttle's: an
 * email address when it contains `@`, else a username.
 */
export function normalizeLogin(login: string): string {
  return login.includes('@') ? normalizeEmail(login) : normalizeUsername(login);
}
