import { sha256Base64Url, timingSafeEqual } from './hash.js';
import { randomToken } from './random.js';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** True when `value` has the RFC 7636 code_verifier syntax: 43–128 characters of `[A-Za-z0-9-._~]`. */
export function isCodeVerifier(value: unknown): value is string {
  return typeof value === 'string' && VERIFIER.test(value);
}

/**
 * True when `value` looks like an S256 code_challenge: the canonical base64url spelling of 32
 * bytes (43 characters). It does not say which verifier produced it.
 */
export function isS256CodeChallenge(value: unknown): value is string {
  return typeof value === 'string' && S256_CHALLENGE.test(value);
}

/** A new code_verifier: 32 random bytes, base64url (43 characters, 256 bits). */
export function createCodeVerifier(): string {
  return randomToken(32);
}

/**
 * The S256 code_challenge of `verifier`: BASE64URL(SHA-256(ASCII(verifier))). Only S256 exists
 * here; callers refuse `plain`. Throws `TypeError` when `verifier` lacks the RFC 7636 syntax.
 */
export async function computeCodeChallenge(verifier: string): Promise<string> {
  if (!isCodeVerifier(verifier)) throw new TypeError('verifier must be 43-128 characters of [A-Za-z0-9-._~]');
  return sha256Base64Url(verifier);
}

/**
 * True when `verifier` has the RFC 7636 syntax and its S256 challenge equals `challenge`
 * (compared in constant time). A malformed verifier or challenge gives false, never a throw.
 */
export async function verifyCodeChallenge(verifier: string, challenge: string): Promise<boolean> {
  if (!isCodeVerifier(verifier) || !isS256CodeChallenge(challenge)) return false;
  return timingSafeEqual(await sha256Base64Url(verifier), challenge);
}
