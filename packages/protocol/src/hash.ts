import { encodeBase64Url } from './base64url.js';

const encoder = new TextEncoder();

/** SHA-256 of `input` (a string is hashed as its UTF-8 bytes), via WebCrypto. */
export async function sha256(input: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** SHA-256 of `input`, base64url encoded without padding (43 characters). */
export async function sha256Base64Url(input: string | Uint8Array): Promise<string> {
  return encodeBase64Url(await sha256(input));
}

/** SHA-256 of `input` as 64 lowercase hex digits. */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  let out = '';
  for (const byte of await sha256(input)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * Compares two strings in time that depends only on their length: when the lengths are equal,
 * every UTF-16 code unit is compared, whatever the first difference. Strings of different
 * lengths return false at once, so it does NOT hide the length; compare fixed-length values
 * (hashes, tokens of one format) to hide everything.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') {
    throw new TypeError('timingSafeEqual compares two strings');
  }
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
