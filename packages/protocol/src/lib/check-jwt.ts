import { checkClaims } from '../claims.js';
import { OAuthError } from '../oauth-error.js';
import type { JwsHeader, VerifiedJws } from '../verify-jws.js';
import type { VerifiedJwt, VerifyJwtOptions } from '../verify-jwt.js';
import { parseJsonObject } from './parse-json-object.js';

/** Throws `TypeError` unless `options.typ` is unset or a non-empty string. */
export function checkTypOption(options: VerifyJwtOptions): void {
  if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ === '')) {
    throw new TypeError('options.typ must be a non-empty string');
  }
}

/**
 * What `verifyJwt` checks after the signature, shared by every signature back end: `typ` when
 * `options.typ` is set, a payload that is a UTF-8 JSON object without duplicate member names, and
 * the claims (`checkClaims`). It trusts `verified` to be a verified JWS. Failures throw
 * `OAuthError('invalid_token', <reason>)`; bad claim options throw `TypeError`.
 */
export function checkJwt(verified: VerifiedJws, options: VerifyJwtOptions): VerifiedJwt {
  const { header, payload: bytes, key } = verified;
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
