import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from '../base64url.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals JSON values into URL- and cookie-safe strings (base64url of IV, AES-256-GCM ciphertext,
 * tag), and opens them again. The one sealing layout of Warden: sign-in transactions in cookies,
 * secrets and upstream tokens at rest, a refresh answer kept for an identical retry.
 */
export interface Sealer {
  seal(value: unknown): string;
  /** The value, or `undefined` when `sealed` was not made by this sealer (tampered, foreign, garbage). */
  open(sealed: string | undefined): unknown;
}

export interface SealerOptions {
  /** Longest sealed text `open` looks at (default 4,096, a cookie's worth); longer is `undefined`. */
  maxSealedLength?: number;
}

/**
 * A sealer whose key is derived (HKDF-SHA-256) from `secret` for one `purpose`, so the same secret
 * used for another purpose never opens these values. Sealed values are confidential and
 * tamper-evident; they do NOT expire by themselves (put an expiry inside and check it), and `secret`
 * must carry enough entropy of its own (at least 32 random bytes): HKDF does not stretch it.
 */
export function createSealer(
  secret: Uint8Array | string,
  purpose: string,
  options: SealerOptions = {},
): Sealer {
  const maxSealedLength = options.maxSealedLength ?? 4096;
  if (!Number.isSafeInteger(maxSealedLength) || maxSealedLength < 1) {
    throw new TypeError('options.maxSealedLength must be a positive integer');
  }
  const key = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), `warden ${purpose}`, 32));
  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return encodeBase64Url(Buffer.concat([iv, body, cipher.getAuthTag()]));
    },
    open(sealed) {
      if (typeof sealed !== 'string' || sealed.length > maxSealedLength) return undefined;
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
