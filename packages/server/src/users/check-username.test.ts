import { describe, expect, it } from 'vitest';
import { checkUsername, usernameProblem } from './check-username.js';

describe('checkUsername', () => {
  it('accepts letters, digits and . _ - of any script; returns the folded form and the typed one', () => {
    expect(checkUsername(' Bilbo ')).toEqual({ ok: true, username: 'bilbo', display: 'Bilbo' });
    expect(checkUsername('frodo.baggins_2-b')).toMatchObject({ ok: true, username: 'frodo.baggins_2-b' });
    expect(checkUsername('\u00c9mile')).toMatchObject({ ok: true, username: '\u00e9mile' });
    expect(checkUsername('E\u0301mile')).toEqual({ ok: true, username: '\u00e9mile', display: '\u00c9mile' });
    expect(checkUsername('\u7528\u6237')).toMatchObject({ ok: true, username: '\u7528\u6237' });
    expect(checkUsername('\u0130lker')).toMatchObject({ ok: true, username: 'i\u0307lker' });
    expect(checkUsername('a'.repeat(64))).toMatchObject({ ok: true });
  });

  it('refuses compatibility characters: the Kelvin sign, full-width letters', () => {
    for (const input of ['\u212Aelvin', '\uff42\uff49\uff4c\uff42\uff4f', 'bilbo\u00b2']) {
      expect(checkUsername(input)).toEqual({
        ok: false,
        problem:
          'The username contains a special form of a letter (such as a full-width letter or the Kelvin sign). Type it with ordinary letters.',
      });
    }
  });

  it('refuses control and invisible characters', () => {
    for (const input of ['bil\u0000bo', 'bil\u200bbo', '\u202ebilbo', 'bilbo\ufe0f']) {
      expect(checkUsername(input)).toEqual({
        ok: false,
        problem: 'The username contains an invisible or control character.',
      });
    }
  });

  it('refuses an @ (it would read as an email address), spaces, symbols, a leading mark or dot, and lengths outside 1-64', () => {
    for (const input of [
      '',
      '   ',
      'bilbo@example.com',
      'bil bo',
      'bilbo!',
      '.bilbo',
      '-bilbo',
      '\u0301bilbo',
      'a'.repeat(65),
    ]) {
      expect(checkUsername(input), JSON.stringify(input)).toEqual({ ok: false, problem: usernameProblem });
    }
  });
});
