import type { ClaimsOptions, JWTPayload } from './claims.js';
import type { ImportedKey, KeySet } from './key-set.js';
import { checkJwt, checkTypOption } from './lib/check-jwt.js';
import { type JwsHeader, type VerifyJwsOptions, verifyCompactJws } from './verify-jws.js';

export interface VerifyJwtOptions extends ClaimsOptions, VerifyJwsOptions {
  /**
   * Required `typ` header (RFC 8725 explicit typing), e.g. `at+jwt`. Compared case-insensitively,
   * an `application/` prefix on either side ignored. Unset: `typ` is not checked.
   */
  typ?: string;
}

export interface VerifiedJwt {
  header: JwsHeader;
  payload: JWTPayload;
  key: ImportedKey;
}

/**
 * Verifies a signed JWT: everything `verifyCompactJws` checks (size, compact form, header,
 * algorithm pinned to the key, signature), then `typ` when asked, then that the payload is a
 * UTF-8 JSON object without duplicate member names, then the claims (`checkClaims`: `exp`
 * required, `nbf`/`iat` with tolerance, `iss`, `aud`, `maxTokenAge`, `requiredClaims`).
 * It does NOT decrypt (nested JWE), check revocation, scopes, `nonce` or any application claim.
 * Failures throw `OAuthError('invalid_token', <reason>)`; bad options throw `TypeError`.
 */
export async function verifyJwt(
  token: string,
  keys: KeySet,
  options: VerifyJwtOptions = {},
): Promise<VerifiedJwt> {
  checkTypOption(options);
  return checkJwt(await verifyCompactJws(token, keys, options), options);
}
