import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from '@warden/protocol/core';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals small JSON values into cookie-safe strings with AES-256-GCM, and opens them again. */
export interface Sealer {
  seal(value: unknown): string;
  /** The value, or `undefined` when `sealed` was not made by this sealer (tampered, foreign, garbage). */
  open(sealed: string | undefined): unknown;
}

/**
 * A sealer whose key is derived (HKDF-SHA-256) from `secret` for one `purpose`, so the same secret
 * used for another purpose never opens these values. Sealed values are confidential and
 * tamper-evident; they do NOT expire by themselves (put an expiry inside and check it).
 */
export function createSealer(secret: Uint8Array, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), `warden ${purpose}`, 32));
  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return encodeBase64Url(Buffer.concat([iv, body, cipher.getAuthTag()]));
    },
    open(sealed) {
      if (typeof sealed !== 'string' || sealed.length > 4096) return undefined;
      try {
        const bytes = Buffer.from(decodeBase64Url(sealed));
        if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return JSON.parse(plain.toString('utf8'));
      } catch {
        return undefined;
      }
    },
  };
}
