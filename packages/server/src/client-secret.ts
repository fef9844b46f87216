/**
 * Confidential clients' secrets: generated here, shown once, stored only as a hash.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new client secret: 32 random bytes (256 bits), base64url without padding (43 characters). */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The SHA-256 of `secret` as lower-case hex: what `Client.secretHash` stores.
 *
 * Fast on purpose. A client secret is 256 random bits, so no dictionary or brute-force attack
 * applies and a slow password hash adds no protection; but a client authenticates on every call
 * to the token endpoint, and argon2id at the password settings (12-17 ms of one core each) would
 * cap that endpoint near 60-80 requests per second per core. Do NOT use this for passwords (see
 * `hashPassword`), nor for secrets a person chose.
 */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * True when `presented` hashes to `hash` (a `hashClientSecret` result). Compares the two
 * 32-byte digests in constant time, so the time taken says nothing about how much matched.
 * False for a malformed `hash` or a non-string `presented`; it does NOT check whether the client
 * may use this authentication method.
 */
export function verifyClientSecret(hash: string, presented: string): boolean {
  if (typeof presented !== 'string' || !/^[0-9a-f]{64}$/i.test(hash)) return false;
  const expected = Buffer.from(hash, 'hex');
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  return timingSafeEqual(expected, actual);
}
