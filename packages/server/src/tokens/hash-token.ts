import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a high-entropy secret: how refresh tokens, authorization codes, interaction
 * ids and client secrets are stored and looked up. A fast hash is right for 256-bit random values;
 * passwords use argon2id instead.
 */
export function hashToken(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
