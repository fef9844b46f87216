import { characterProblem, describeCharacterProblem } from './character-problem.js';
import { normalizeUsername } from './normalize-login.js';

/**
 * A username that may be registered: `username` in canonical form (`normalizeUsername`), what
 * signs in; `display` as typed (trimmed, NFC), for the nickname. Or why it may not be.
 */
export type UsernameCheck = { ok: true; username: string; display: string } | { ok: false; problem: string };

export const usernameProblem =
  'A username is 1 to 64 letters, digits or the characters . _ - and starts with a letter or digit.';

const usernamePattern = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}._-]{0,63}$/u;

/**
 * Decides whether `input` (trimmed) may be registered as a username: no invisible, control or
 * compatibility character (`characterProblem`), then 1 to 64 code points (after NFC) of letters,
 * marks, digits, `.`, `_` and `-`, starting with a letter or digit. No `@`, so a username is
 * never taken for an email address in the login field. Does NOT check that it is free, and does
 * NOT apply a script rule.
 */
export function checkUsername(input: string): UsernameCheck {
  const typed = input.trim();
  const characters = characterProblem(typed);
  if (characters) return { ok: false, problem: describeCharacterProblem(characters, 'the username') };
  const display = typed.normalize('NFC');
  if (!usernamePattern.test(display)) return { ok: false, problem: usernameProblem };
  return { ok: true, username: normalizeUsername(display), display };
}
