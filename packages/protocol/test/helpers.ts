import { createHmac } from 'node:crypto';
import { encodeBase64Url } from '../src/base64url.js';

/** A compact JWS over exactly the given header and payload text, MACed with HMAC-SHA-256. */
export function hs256Token(headerJson: string, payloadJson: string, secret: Uint8Array | string): string {
  const signingInput = `${encodeBase64Url(headerJson)}.${encodeBase64Url(payloadJson)}`;
  const mac = createHmac('sha256', secret).update(signingInput).digest();
  return `${signingInput}.${encodeBase64Url(mac)}`;
}

/** A 32-byte HMAC secret (fixed, for tests) and its HS256 JWK. */
export const HMAC_SECRET = new Uint8Array(32).map((_, i) => i * 7 + 1);
export const HS256_JWK = { kty: 'oct', alg: 'HS256', kid: 'hmac-1', k: encodeBase64Url(HMAC_SECRET) };

/** Seconds since the epoch used as "now" by claim tests. */
export const NOW = 1_700_000_000;
