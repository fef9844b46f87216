import { decodeJwt } from '@warden/protocol/core';

/**
 * True unless `token` is a JWT whose `exp` is more than `leeway` seconds after `now` (the
 * article's `tokenNotExpired`, inverted). A missing, opaque or encrypted token, or one without a
 * numeric `exp`, counts as expired. It verifies NOTHING else — not the signature, issuer or
 * audience — so use it for display and scheduling, never to grant access.
 */
export function isTokenExpired(
  token: string | null | undefined,
  leeway = 0,
  now: number = Date.now(),
): boolean {
  if (typeof token !== 'string' || token === '') return true;
  try {
    const { exp } = decodeJwt(token).payload;
    return typeof exp !== 'number' || exp <= now / 1000 + leeway;
  } catch {
    return true;
  }
}
