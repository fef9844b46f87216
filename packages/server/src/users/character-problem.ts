/**
 * Characters refused anywhere in an email address or a username, as typed (before any
 * normalisation):
 *
 * - `invisible`: control, format (bidi overrides, zero-width joiners), private-use, unassigned
 *   and surrogate code points (`\p{C}`), default-ignorable ones (soft hyphen, variation
 *   selectors: UTS #46 would drop them silently). White space is left to the callers' own
 *   patterns (a space is visible: it makes an address invalid, not suspicious).
 * - `compatibility`: code points that NFKC changes, the PRECIS `HasCompat` category (RFC 8264
 *   §9.17): full-width and half-width forms, the Kelvin sign (which NFC alone turns into `K`),
 *   ligatures, superscripts, circled and mathematical letters. They look like, or are folded into,
 *   ordinary characters, so an address holding one is either a look-alike or not what its owner
 *   will type next time. Checked per code point, so decomposed (NFD) input is accepted.
 *
 * Returns the first problem found, or undefined. Says nothing about which characters an address
 * or a username may contain: that is for their own checks.
 */
export function characterProblem(text: string): 'invisible' | 'compatibility' | undefined {
  if (invisible.test(text)) return 'invisible';
  for (const char of text) {
    if (char.normalize('NFKC') !== char) return 'compatibility';
  }
  return undefined;
}

const invisible = /[\p{C}\p{Default_Ignorable_Code_Point}]/u;

/** The message for a `characterProblem`, naming what was typed (`the email address`, `the username`). */
export function describeCharacterProblem(problem: 'invisible' | 'compatibility', subject: string): string {
  const Subject = subject.charAt(0).toUpperCase() + subject.slice(1);
  return problem === 'invisible'
    ? `${Subject} contains an invisible or control character.`
    : `${Subject} contains a special form of a letter (such as a full-width letter or the Kelvin sign). Type it with ordinary letters.`;
}
