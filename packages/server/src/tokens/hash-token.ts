import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * SHA-256 (hex) of a high-entropy secret: how refresh tokens, authorization codes, interaction
 * ids and client secrets are stored and looked up. A fast hash is right for 256-bit random values;
 * passwords use argon2id instead.
 */
export function hashToken(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function sealingKey(token: string): Buffer {
  return createHash('sha256').update('warden/refresh-retry\0').update(token).digest();
}

/**
 * Encrypts `plaintext` (AES-256-GCM) under a key derived from `token`, so that only the holder of
 * that token can read it back. Used to keep a refresh response for an identical retry without
 * storing a usable token.
 */
export function sealWithToken(token: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(token), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** Reverses `sealWithToken`; undefined when the token does not open it. */
export function openWithToken(token: string, sealed: string): string | undefined {
  try {
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(token), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
