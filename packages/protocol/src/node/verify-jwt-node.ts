import type { KeySet } from '../key-set.js';
import { checkJwt, checkTypOption } from '../lib/check-jwt.js';
import type { VerifiedJwt, VerifyJwtOptions } from '../verify-jwt.js';
import { verifyCompactJwsNode } from './verify-jws-node.js';

/**
 * `verifyJwt` with the signature checked by `node:crypto` (`verifyCompactJwsNode`), and
 * synchronous. After the signature it runs the same code as `verifyJwt`: `typ` when
 * `options.typ` is set, a UTF-8 JSON object payload without duplicate member names, then
 * `checkClaims` (`exp` required, `nbf`/`iat` with tolerance, `iss`, `aud`, `maxTokenAge`,
 * `requiredClaims`). It does NOT decrypt (nested JWE), check revocation, scopes, `nonce` or any
 * application claim. Failures throw `OAuthError('invalid_token', <reason>)`; bad options throw
 * `TypeError`.
 */
export function verifyJwtNode(token: string, keys: KeySet, options: VerifyJwtOptions = {}): VerifiedJwt {
  checkTypOption(options);
  return checkJwt(verifyCompactJwsNode(token, keys, options), options);
}
