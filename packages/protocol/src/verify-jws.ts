import { compactVerify } from 'jose';
import { isJwsAlg, JWS_ALGORITHMS } from './algorithms.js';
import { tryDecodeBase64Url } from './base64url.js';
import type { ImportedKey, KeySet } from './key-set.js';
import { parseJsonObject } from './lib/parse-json-object.js';
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

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;
const ALL_JWS: ReadonlySet<string> = new Set(JWS_ALGORITHMS);

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
  const { maxSize, algorithms } = readOptions(options);
  const [headerBytes, payload] = decodeSegments(token, maxSize);
  const header = parseHeader(headerBytes);
  checkHeader(header, algorithms);
  const key = selectKey(keys, header);
  await checkSignature(token, key);
  return { header, payload, key };
}

function readOptions(options: VerifyJwsOptions): { maxSize: number; algorithms: ReadonlySet<string> } {
  const { maxSize = 8192, algorithms } = options;
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new TypeError('options.maxSize must be a positive integer');
  }
  if (algorithms === undefined) return { maxSize, algorithms: ALL_JWS };
  if (!Array.isArray(algorithms) || !algorithms.every(isJwsAlg)) {
    throw new TypeError(`options.algorithms must list JWS algorithms from: ${JWS_ALGORITHMS.join(', ')}`);
  }
  return { maxSize, algorithms: new Set(algorithms) };
}

/** Checks size and form, then decodes the header and payload (and checks the signature's encoding). */
function decodeSegments(token: string, maxSize: number): [Uint8Array, Uint8Array] {
  if (typeof token !== 'string') fail('the token must be a string');
  if (token.length > maxSize) fail('the token is too large');
  if (!COMPACT_JWS.test(token)) fail('not a compact JWS');
  const [header, payload, signature] = token.split('.').map(tryDecodeBase64Url);
  if (header === undefined || payload === undefined || signature === undefined) {
    fail('malformed base64url segment');
  }
  return [header, payload];
}

function parseHeader(bytes: Uint8Array): JwsHeader {
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) fail(`header: ${parsed.reason}`);
  return parsed.value as JwsHeader;
}

function checkHeader(header: JwsHeader, algorithms: ReadonlySet<string>): void {
  const { alg } = header;
  if (typeof alg !== 'string') fail('alg header is missing');
  if (alg === 'none') fail('unsigned tokens (alg none) are not accepted');
  if (!algorithms.has(alg)) fail('alg is not accepted');
  if (header.crit !== undefined) fail('crit headers are not supported');
  if (header.b64 !== undefined && header.b64 !== true) fail('unencoded payloads (b64) are not accepted');
  if (header.kid !== undefined && typeof header.kid !== 'string') fail('kid header must be a string');
}

function selectKey(keys: KeySet, header: JwsHeader): ImportedKey {
  const key = keys.get(header.kid, header.alg);
  if (key === undefined) {
    fail(header.kid === undefined ? 'no unique key for the alg' : 'no key matches the kid and alg');
  }
  if (key.alg !== header.alg) fail('alg does not match the key');
  return key;
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
