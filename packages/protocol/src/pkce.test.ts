import { describe, expect, test } from 'vitest';
import {
  computeCodeChallenge,
  createCodeVerifier,
  isCodeVerifier,
  isS256CodeChallenge,
  verifyCodeChallenge,
} from './pkce.js';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256', () => {
  test('computes the RFC 7636 example challenge', async () => {
    expect(await computeCodeChallenge(VERIFIER)).toBe(CHALLENGE);
  });

  test('verifies a matching pair and refuses others', async () => {
    expect(await verifyCodeChallenge(VERIFIER, CHALLENGE)).toBe(true);
    expect(await verifyCodeChallenge(`${VERIFIER.slice(0, -1)}l`, CHALLENGE)).toBe(false);
    expect(await verifyCodeChallenge(VERIFIER, `${CHALLENGE.slice(0, -1)}A`)).toBe(false);
  });

  test('refuses verifiers without the RFC 7636 syntax, even when their hash matches', async () => {
    const short = 'a'.repeat(42);
    expect(await verifyCodeChallenge(short, await sha256Of(short))).toBe(false);
    const withSpace = `${'a'.repeat(42)} `;
    expect(await verifyCodeChallenge(withSpace, await sha256Of(withSpace))).toBe(false);
    expect(await verifyCodeChallenge('a'.repeat(129), CHALLENGE)).toBe(false);
    await expect(computeCodeChallenge(short)).rejects.toThrow(TypeError);
  });

  test('accepts the whole unreserved alphabet, 43 to 128 characters', async () => {
    const verifier = 'AZaz09-._~'.repeat(5);
    expect(isCodeVerifier(verifier)).toBe(true);
    expect(isCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isCodeVerifier('a'.repeat(128))).toBe(true);
    expect(await verifyCodeChallenge(verifier, await computeCodeChallenge(verifier))).toBe(true);
  });

  test('recognises only canonical S256 challenges', () => {
    expect(isS256CodeChallenge(CHALLENGE)).toBe(true);
    expect(isS256CodeChallenge(`${CHALLENGE.slice(0, -1)}N`)).toBe(false);
    expect(isS256CodeChallenge(`${CHALLENGE}=`)).toBe(false);
    expect(isS256CodeChallenge(VERIFIER.slice(0, 42))).toBe(false);
  });

  test('creates fresh verifiers of 256 bits', async () => {
    const a = createCodeVerifier();
    const b = createCodeVerifier();
    expect(a).not.toBe(b);
    expect(isCodeVerifier(a)).toBe(true);
    expect(a).toHaveLength(43);
    expect(await verifyCodeChallenge(a, await computeCodeChallenge(a))).toBe(true);
  });
});

async function sha256Of(text: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(text).digest('base64url');
}
