import { encodeBase64Url } from './base64url.js';

/**
 * A fresh random secret, base64url encoded: `bytes` bytes from the platform CSPRNG
 * (`crypto.getRandomValues`). Takes 16 to 1024 bytes (at least 128 bits); the default 32 bytes
 * gives a 43-character token.
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16 || bytes > 1024) {
    throw new TypeError('bytes must be an integer from 16 to 1024');
  }
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
