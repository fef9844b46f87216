import { type ClaimsOptions, checkClaims, type JWTPayload } from './claims.js';
import type { ImportedKey, KeySet } from './key-set.js';
import { parseJsonObject } from './lib/parse-json-object.js';
import { OAuthError } from './oauth-error.js';
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
  if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ === '')) {
    throw new TypeError('options.typ must be a non-empty string');
  }
  const { header, payload: bytes, key } = await verifyCompactJws(token, keys, options);
  if (options.typ !== undefined) checkTyp(header, options.typ);
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) throw new OAuthError('invalid_token', `payload: ${parsed.reason}`);
  const payload = checkClaims(parsed.value, options);
  return { header, payload, key };
}

function checkTyp(header: JwsHeader, expected: string): void {
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(expected)) {
    throw new OAuthError('invalid_token', 'unexpected typ');
  }
}

/** `typ` media types compare case-insensitively, and `application/` may be left out (RFC 7515 4.1.9). */
function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
