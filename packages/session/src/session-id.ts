import { hash, randomBytes } from 'node:crypto';

/** Returns `bytes` cryptographically random bytes. Tests pass a fake. */
export type RandomBytes = (bytes: number) => Uint8Array;

/** Bytes of randomness in a session id: 256 bits. */
export const SESSION_ID_BYTES = 32;

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The default `random`: `node:crypto` randomBytes. */
export function randomBytesDefault(bytes: number): Uint8Array {
  return randomBytes(bytes);
}

/**
 * Draws `bytes` random bytes from `random` and encodes them as base64url (no padding).
 * Throws an `Error` when `random` returns the wrong number of bytes, rather than issuing a weak value.
 */
export function randomToken(random: RandomBytes, bytes: number): string {
  const value = random(bytes);
  if (!(value instanceof Uint8Array) || value.length !== bytes) {
    throw new Error(`random returned ${value?.length ?? 'no'} bytes, expected ${bytes}`);
  }
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url');
}

/** A fresh session id: 32 random bytes as base64url (43 characters). */
export function createSessionId(random: RandomBytes = randomBytesDefault): string {
  return randomToken(random, SESSION_ID_BYTES);
}

/**
 * True when `id` has the shape of a session id (43 base64url characters). Checks shape only, in
 * time independent of the content; it says nothing about whether such a session exists.
 */
export function isSessionIdShape(id: unknown): id is string {
  return typeof id === 'string' && id.length === 43 && SESSION_ID.test(id);
}

/**
 * SHA-256 of the session id, base64url (43 characters): the only form in which an id reaches a
 * store. A plain hash suffices because the id carries 256 bits of randomness; no salt or slow hash.
 */
export function hashSessionId(id: string): string {
  return hash('sha256', id, 'base64url');
}
