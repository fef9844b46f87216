// The one place this package reaches the protocol's crypto seam for signed tokens: keys are
// imported here (once per JWKS fetch, or once at start) and every signature is checked here.
import type { KeySet, VerifiedJwt, VerifyJwtOptions } from '@warden/protocol';
// The node:crypto back end of protocol's seam (same checks, same errors, keys made once). The
// jose back end is the same line with `importKeySet` and `verifyJwt` from '@warden/protocol',
// with `verifySignature` and its callers then asynchronous.
import { importNodeKeySet as importKeySet, verifyJwtNode as verifyJwt } from '@warden/protocol/node';

/** Verification keys as the seam imported them. */
export type VerificationKeys = KeySet;

/**
 * Imports a JWK Set once, with every check of protocol's `importKeySet`, ready for `verifySignature` (keys pin their `alg`,
 * weak or malformed keys are refused). Throws `KeyImportError` for a set it will not use.
 */
export function importVerificationKeys(jwks: unknown): Promise<VerificationKeys> {
  return importKeySet(jwks);
}

/**
 * Verifies a compact JWS and its claims with protocol's `verifyJwt` contract: size, form, header, the
 * algorithm pinned to the key, the signature, a JSON payload without duplicate members, and the
 * claims it is asked to check. Never reads `jku`, `x5u`, `jwk` or `x5c`. Throws
 * `OAuthError('invalid_token')`.
 */
export function verifySignature(
  token: string,
  keys: VerificationKeys,
  options: VerifyJwtOptions,
): VerifiedJwt {
  return verifyJwt(token, keys, options);
}
