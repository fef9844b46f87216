import { hasCanonicalBase64UrlEnd } from '../../base64url.js';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * `tryDecodeBase64Url` with the decoding done by `Buffer`: the same strict contract (only
 * `A-Z a-z 0-9 - _`, no padding, no length of 1 mod 4, no non-zero unused bits), checked before
 * `Buffer.from`, which alone would accept all of those. Returns a `Uint8Array` view of the bytes.
 */
export function tryDecodeBase64UrlNode(text: string): Uint8Array | undefined {
  if (typeof text !== 'string' || !BASE64URL.test(text) || !hasCanonicalBase64UrlEnd(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}
