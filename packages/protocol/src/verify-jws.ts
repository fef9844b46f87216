import { compactVerify } from 'jose';
import type { ImportedKey, KeySet } from './key-set.js';
import { parseCompactJws } from './lib/parse-compact-jws.js';
import { OAuthError } from './oauth-error.js';

export interface VerifyJwsOptions {
  /** Largest token accepted, in bytes (checked before anything is parsed). Default 8192. */
  maxSize?: number;
  /** JWS algorithms accepted on top of the key's pin. Default: every algorithm in `JWS_ALGORITHMS`. */
  algorithms?: readonly string[];
}

/** A protected header that passed the checks: `alg` is present and `kid` is a string when set. */
export type JwsHeader = Record<string, unknown> & { alg: string; kid?: string; typ?: string };

export interface VerifiedJws {
  header: JwsHeader;
  payload: Uint8Array;
  /** The key whose signature matched. */
  key: ImportedKey;
}

/**
 * Verifies a JWS in compact serialisation and returns its header and raw payload. In order:
 * 1. size: at most `maxSize` bytes, before any parsing;
 * 2. form: exactly three dot-separated segments of canonical unpadded base64url (no whitespace,
 *    padding, `+`, `/`, `?` or other characters; non-zero unused bits rejected); the payload may
 *    be empty, header and signature may not;
 * 3. header: UTF-8 JSON object without duplicate member names;
 * 4. `alg`: present, never `none`, among `algorithms`; `crit` is refused (no extension is
 *    understood); `b64: false` (RFC 7797) is refused;
 * 5. key: the key with the header's `kid`, or, without `kid`, the one key pinned to the `alg`
 *    (none when several are); the header `alg` must equal that key's pinned `alg`;
 * 6. signature, with jose pinned to the key's `alg`.
 * It does NOT read `jku`, `x5u`, `jwk` or `x5c`: keys come only from `keys`. It does NOT look at
 * the payload (see `verifyJwt` for JWT claims). Every failure throws
 * `OAuthError('invalid_token', <short reason>)`.
 */
export async function verifyCompactJws(
  token: string,
  keys: KeySet,
  options: VerifyJwsOptions = {},
): Promise<VerifiedJws> {
  const { header, payload, key } = parseCompactJws(token, keys, options);
  await checkSignature(token, key);
  return { header, payload, key };
}

async function checkSignature(token: string, key: ImportedKey): Promise<void> {
  try {
    await compactVerify(token, key.publicKey ?? key.key, { algorithms: [key.alg] });
  } catch (cause) {
    fail('invalid signature', cause);
  }
}

function fail(description: string, cause?: unknown): never {
  throw new OAuthError('invalid_token', description, cause === undefined ? {} : { cause });
}
