/**
 * Random identifiers for users, clients and other records.
 */
import { randomBytes } from 'node:crypto';

/** Random bytes in every id: 128 bits, as many as a UUID v4 carries (122) and then some. */
const ID_BYTES = 16;

/**
 * A new random id: 32 lower-case hex characters (128 bits from the CSPRNG), after `prefix_` when
 * a prefix is given (`newId('usr')` → `usr_3f9c…`). Safe in URLs, headers, file names and
 * command lines (never starts with `-`), and the same in every letter case a system might fold
 * it to.
 *
 * It is an identifier, not a secret: it says nothing about who may use it. Throws `TypeError`
 * when `prefix` is not 1-16 lower-case letters or digits starting with a letter.
 */
export function newId(prefix?: string): string {
  const random = randomBytes(ID_BYTES).toString('hex');
  if (prefix === undefined) return random;
  if (!/^[a-z][a-z0-9]{0,15}$/.test(prefix)) {
    throw new TypeError('prefix must be 1-16 lower-case letters or digits, starting with a letter');
  }
  return `${prefix}_${random}`;
}
