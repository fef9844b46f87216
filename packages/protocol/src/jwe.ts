import { CompactEncrypt, compactDecrypt } from 'jose';
import {
  isJweAlg,
  isJweEnc,
  JWE_ALGORITHMS,
  JWE_ENCRYPTION_ALGORITHMS,
  type JweAlg,
  type JweEnc,
} from './algorithms.js';
import { tryDecodeBase64Url } from './base64url.js';
import type { ImportedKey, KeySet } from './key-set.js';
import { parseJsonObject } from './lib/parse-json-object.js';
import { OAuthError } from './oauth-error.js';

export interface EncryptCompactOptions {
  /** Key management algorithm; must be the key's pinned `alg`. */
  alg: 'RSA-OAEP-256' | 'ECDH-ES';
  /** Content encryption. Default A256GCM. */
  enc?: JweEnc;
  /** `cty` header, e.g. `JWT` for a nested token. */
  cty?: string;
  /** `typ` header. */
  typ?: string;
}

export interface DecryptJweOptions {
  /** Largest token accepted, in bytes (checked before anything is parsed). Default 16384. */
  maxSize?: number;
  /** Key management algorithms accepted on top of the key's pin. Default: all of `JWE_ALGORITHMS`. */
  algorithms?: readonly string[];
  /** Content encryption algorithms accepted. Default: all of `JWE_ENCRYPTION_ALGORITHMS`. */
  encryptionAlgorithms?: readonly string[];
}

export type JweHeader = Record<string, unknown> & { alg: string; enc: string; kid?: string };

export interface DecryptedJwe {
  header: JweHeader;
  plaintext: Uint8Array;
  /** The key that decrypted it. */
  key: ImportedKey;
}

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;
const ALL_ALGS: ReadonlySet<string> = new Set(JWE_ALGORITHMS);
const ALL_ENCS: ReadonlySet<string> = new Set(JWE_ENCRYPTION_ALGORITHMS);
const encoder = new TextEncoder();

/**
 * Encrypts `plaintext` (a string as UTF-8) to the public half of `key` as a compact JWE with
 * header `{ alg, enc, kid, cty, typ }`. `options.alg` must equal the key's pinned `alg`.
 * Throws `TypeError` on a mismatched key or bad options.
 */
export async function encryptCompact(
  plaintext: string | Uint8Array,
  key: ImportedKey,
  options: EncryptCompactOptions,
): Promise<string> {
  const { alg, enc = 'A256GCM', cty, typ } = options ?? {};
  if (alg !== 'RSA-OAEP-256' && alg !== 'ECDH-ES') {
    throw new TypeError('options.alg must be RSA-OAEP-256 or ECDH-ES');
  }
  if (key?.alg !== alg || key.publicKey === undefined) throw new TypeError(`key must be an ${alg} key`);
  if (!isJweEnc(enc)) {
    throw new TypeError(`options.enc must be one of ${JWE_ENCRYPTION_ALGORITHMS.join(', ')}`);
  }
  for (const [name, value] of [
    ['cty', cty],
    ['typ', typ],
  ] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new TypeError(`options.${name} must be a non-empty string`);
    }
  }
  const header = {
    alg,
    enc,
    ...(key.kid !== undefined && { kid: key.kid }),
    ...(cty !== undefined && { cty }),
    ...(typ !== undefined && { typ }),
  };
  const bytes = typeof plaintext === 'string' ? encoder.encode(plaintext) : plaintext;
  return new CompactEncrypt(bytes).setProtectedHeader(header).encrypt(key.publicKey);
}

/**
 * Decrypts a JWE in compact serialisation. In order: size (at most `maxSize` bytes, before any
 * parsing); five segments of canonical base64url (no JSON serialisation); header a UTF-8 JSON
 * object without duplicate member names; `alg` among `algorithms` and never `RSA1_5`; `enc`
 * among `encryptionAlgorithms`; no `zip` (compressed plaintext is refused) and no `crit`; the
 * key with the header's `kid` (or the one private key pinned to `alg` when there is no `kid`),
 * whose pinned `alg` (and, for `dir`, `enc`) the header must match; then jose decrypts, pinned to
 * that key's `alg` and the header's `enc`.
 * It does NOT read `jku`, `jwk`, `x5u` or `x5c`, and does NOT interpret the plaintext (a nested
 * JWT still needs `verifyJwt`). Failures throw `OAuthError('invalid_token', <reason>)`; a caller
 * decrypting something other than a token (e.g. a request object) re-wraps it with its own code.
 */
export async function decryptCompactJwe(
  token: string,
  keys: KeySet,
  options: DecryptJweOptions = {},
): Promise<DecryptedJwe> {
  const settings = readDecryptOptions(options);
  const header = parseHeader(decodeSegments(token, settings.maxSize));
  checkHeader(header, settings);
  const key = selectKey(keys, header);
  try {
    const { plaintext } = await compactDecrypt(token, key.key, {
      keyManagementAlgorithms: [key.alg],
      contentEncryptionAlgorithms: [header.enc],
      maxDecompressedLength: 0,
    });
    return { header, plaintext, key };
  } catch (cause) {
    return fail('decryption failed', cause);
  }
}

interface DecryptSettings {
  maxSize: number;
  algorithms: ReadonlySet<string>;
  encryptionAlgorithms: ReadonlySet<string>;
}

function readDecryptOptions(options: DecryptJweOptions): DecryptSettings {
  const { maxSize = 16384, algorithms, encryptionAlgorithms } = options;
  if (!Number.isInteger(maxSize) || maxSize < 1) {
    throw new TypeError('options.maxSize must be a positive integer');
  }
  if (algorithms !== undefined && (!Array.isArray(algorithms) || !algorithms.every(isJweAlg))) {
    throw new TypeError(`options.algorithms must list JWE algorithms from: ${JWE_ALGORITHMS.join(', ')}`);
  }
  if (
    encryptionAlgorithms !== undefined &&
    (!Array.isArray(encryptionAlgorithms) || !encryptionAlgorithms.every(isJweEnc))
  ) {
    throw new TypeError(
      `options.encryptionAlgorithms must list values from: ${JWE_ENCRYPTION_ALGORITHMS.join(', ')}`,
    );
  }
  return {
    maxSize,
    algorithms: algorithms === undefined ? ALL_ALGS : new Set(algorithms),
    encryptionAlgorithms: encryptionAlgorithms === undefined ? ALL_ENCS : new Set(encryptionAlgorithms),
  };
}

function decodeSegments(token: string, maxSize: number): Uint8Array {
  if (typeof token !== 'string') fail('the token must be a string');
  if (token.length > maxSize) fail('the token is too large');
  if (!COMPACT_JWE.test(token)) fail('not a compact JWE');
  const decoded = token.split('.').map(tryDecodeBase64Url);
  if (decoded.some((segment) => segment === undefined)) fail('malformed base64url segment');
  return decoded[0]!;
}

function parseHeader(bytes: Uint8Array): JweHeader {
  const parsed = parseJsonObject(bytes);
  if (!parsed.ok) fail(`header: ${parsed.reason}`);
  return parsed.value as JweHeader;
}

function checkHeader(header: JweHeader, settings: DecryptSettings): void {
  const { alg, enc } = header;
  if (typeof alg !== 'string') fail('alg header is missing');
  if (alg === 'RSA1_5') fail('alg RSA1_5 is not accepted');
  if (!settings.algorithms.has(alg)) fail('alg is not accepted');
  if (typeof enc !== 'string') fail('enc header is missing');
  if (!settings.encryptionAlgorithms.has(enc)) fail('enc is not accepted');
  if (header.zip !== undefined) fail('compressed plaintext (zip) is not accepted');
  if (header.crit !== undefined) fail('crit headers are not supported');
  if (header.kid !== undefined && typeof header.kid !== 'string') fail('kid header must be a string');
}

function selectKey(keys: KeySet, header: JweHeader): ImportedKey {
  const fits = (key: ImportedKey) =>
    key.isPrivate && key.alg === (header.alg as JweAlg) && (key.alg !== 'dir' || key.enc === header.enc);
  if (header.kid !== undefined) {
    const key = keys.get(header.kid, header.alg);
    if (key === undefined || !fits(key)) fail('no decryption key matches the kid, alg and enc');
    return key;
  }
  const candidates = keys.keys.filter(fits);
  if (candidates.length !== 1) fail('no unique decryption key for the alg and enc');
  return candidates[0]!;
}

function fail(description: string, cause?: unknown): never {
  throw new OAuthError('invalid_token', description, cause === undefined ? {} : { cause });
}
