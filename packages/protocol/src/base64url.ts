import { OAuthError } from './oauth-error.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

const encoder = new TextEncoder();

/**
 * Base64url without padding (RFC 4648 section 5, as JOSE uses it). A string is encoded as its
 * UTF-8 bytes.
 */
export function encodeBase64Url(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

/**
 * Strict base64url decoding, or `undefined` when the text is not the one canonical unpadded
 * encoding of some bytes. Rejects: padding (`=`), whitespace, characters outside `A-Z a-z 0-9 - _`
 * (including the `+` and `/` of plain base64), a length of 1 mod 4, and non-zero unused trailing
 * bits (so every byte string has exactly one accepted spelling).
 */
export function tryDecodeBase64Url(text: string): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  const length = text.length;
  const tail = length % 4;
  if (tail === 1) return undefined;
  const out = new Uint8Array(((length - tail) / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let o = 0;
  let i = 0;
  for (; i + 3 < length; i += 4) {
    const n =
      (value(text, i) << 18) | (value(text, i + 1) << 12) | (value(text, i + 2) << 6) | value(text, i + 3);
    if (n < 0) return undefined;
    out[o++] = n >> 16;
    out[o++] = (n >> 8) & 255;
    out[o++] = n & 255;
  }
  if (tail === 2) {
    const a = value(text, i);
    const b = value(text, i + 1);
    if (a < 0 || b < 0 || (b & 15) !== 0) return undefined;
    out[o] = (a << 2) | (b >> 4);
  } else if (tail === 3) {
    const a = value(text, i);
    const b = value(text, i + 1);
    const c = value(text, i + 2);
    if (a < 0 || b < 0 || c < 0 || (c & 3) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

/**
 * False when `text`, already known to hold only base64url characters, cannot be a canonical
 * unpadded encoding: a length of 1 mod 4, or non-zero unused bits in its last character. For
 * decoders that check the alphabet themselves and decode with something more lenient.
 */
export function hasCanonicalBase64UrlEnd(text: string): boolean {
  const tail = text.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  return (value(text, text.length - 1) & (tail === 2 ? 15 : 3)) === 0;
}

/**
 * Strict base64url decoding (see `tryDecodeBase64Url` for what is rejected). Throws
 * `OAuthError('invalid_request')` for malformed input; token verifiers map that to their own
 * error code.
 */
export function decodeBase64Url(text: string): Uint8Array {
  const bytes = tryDecodeBase64Url(text);
  if (bytes === undefined) throw new OAuthError('invalid_request', 'malformed base64url value');
  return bytes;
}

/** The 6-bit value of the character at `index`, or -1 (all bits set) when it is not in the alphabet. */
function value(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? VALUES[code]! : -1;
}
