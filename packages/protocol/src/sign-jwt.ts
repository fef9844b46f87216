import { CompactSign } from 'jose';
import { isJwsAlg } from './algorithms.js';
import type { ImportedKey } from './key-set.js';

export interface SignJwtOptions {
  /** The `typ` header, e.g. `at+jwt` (RFC 9068) or `JWT`. Omitted when unset. */
  typ?: string;
}

const encoder = new TextEncoder();

/**
 * Signs `payload` as a compact JWS with header `{ alg, kid, typ }`: `alg` is the key's pinned
 * algorithm, `kid` the key's (omitted when it has none). The payload is serialised as given: it
 * does NOT add `iat`, `exp`, `jti` or any other claim. Throws `TypeError` when `payload` is not a
 * plain object or `key` is not a private or secret signing key.
 */
export async function signJwt(
  payload: Record<string, unknown>,
  key: ImportedKey,
  options: SignJwtOptions = {},
): Promise<string> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new TypeError('payload must be a plain object');
  }
  if (!isJwsAlg(key?.alg) || !key.isPrivate) {
    throw new TypeError('key must be a private or secret signing key');
  }
  if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ === '')) {
    throw new TypeError('options.typ must be a non-empty string');
  }
  const header = {
    alg: key.alg,
    ...(key.kid !== undefined && { kid: key.kid }),
    ...(options.typ !== undefined && { typ: options.typ }),
  };
  return new CompactSign(encoder.encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key.key);
}
