import { importJWK, type JWK } from 'jose';
import {
  hashBitsOf,
  isJweAlg,
  isJweEnc,
  isJwsAlg,
  type JweAlg,
  type JweEnc,
  type JwsAlg,
} from './algorithms.js';
import { tryDecodeBase64Url } from './base64url.js';
import { KeyImportError } from './key-import-error.js';
import { hasRocaFingerprint } from './lib/has-roca-fingerprint.js';

export type KeyType = 'RSA' | 'EC' | 'OKP' | 'oct';

/**
 * The public members of a key, fit to publish in a JWKS: `kty`, the public key material
 * (`n`, `e` / `crv`, `x`, `y`), and `kid`, `alg`, `use` when the input had them. Never a private
 * member; for an `oct` key never `k`.
 */
export type PublicJwk = {
  kty: KeyType;
  kid?: string;
  alg?: string;
  use?: 'sig' | 'enc';
  crv?: string;
  n?: string;
  e?: string;
  x?: string;
  y?: string;
};

/** A key imported once, ready for every later sign, verify, encrypt or decrypt call. */
export interface ImportedKey {
  readonly kid?: string;
  /**
   * The JOSE header `alg` this key is pinned to: a JWS algorithm, or a JWE key management
   * algorithm. A direct-encryption key (JWK `alg` naming a content encryption algorithm such
   * as `A256GCM`) has `alg: 'dir'` and that algorithm in `enc`.
   */
  readonly alg: JwsAlg | JweAlg;
  /** The pinned content encryption algorithm of a direct-encryption (`dir`) key. */
  readonly enc?: JweEnc;
  /** The JWK `use`, when it had one. */
  readonly use?: 'sig' | 'enc';
  readonly kty: KeyType;
  readonly crv?: string;
  /** True when the key holds private (asymmetric) or secret (`oct`) material. */
  readonly isPrivate: boolean;
  /**
   * The key for this key's own operation: the private key when the JWK had private members,
   * the public key otherwise; for `oct`, a non-extractable HMAC `CryptoKey` (HS*) or the secret
   * bytes (JWE algorithms, which need them raw).
   */
  readonly key: CryptoKey | Uint8Array;
  /** The public half of an asymmetric key (verify, encrypt); undefined for `oct`. */
  readonly publicKey?: CryptoKey;
  readonly jwk: PublicJwk;
}

/** Keys imported once; `get` finds the one key a token may use. */
export interface KeySet {
  readonly keys: readonly ImportedKey[];
  /**
   * The key for a token whose header names `kid` and `alg`. With a `kid`: the key with that
   * `kid`, only if it is pinned to `alg`. Without: the key pinned to `alg` when exactly one is.
   * Never chooses between several candidates.
   */
  get(kid: string | undefined, alg: string): ImportedKey | undefined;
}

export interface ImportKeyOptions {
  /** Whether private and secret keys may be exported again. Default false (public keys always are). */
  extractable?: boolean;
}

export interface ImportKeySetOptions extends ImportKeyOptions {
  /** Largest number of keys accepted in one set. Default 100. */
  maxKeys?: number;
}

const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;
const MIN_PASSWORD_BYTES = 8;
const SIG_OPS: ReadonlySet<string> = new Set(['sign', 'verify']);
const ENC_OPS: ReadonlySet<string> = new Set([
  'encrypt',
  'decrypt',
  'wrapKey',
  'unwrapKey',
  'deriveKey',
  'deriveBits',
]);
const KEY_TYPES: ReadonlySet<string> = new Set(['RSA', 'EC', 'OKP', 'oct']);
const BASE64URL_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'x', 'y', 'k'] as const;
const EC_CURVE: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' };
const ECDH_CURVES: Record<string, KeyType> = { 'P-256': 'EC', 'P-384': 'EC', 'P-521': 'EC', X25519: 'OKP' };
const DIRECT_KEY_BYTES: Record<JweEnc, number> = {
  A128GCM: 16,
  A192GCM: 24,
  A256GCM: 32,
  'A128CBC-HS256': 32,
  'A192CBC-HS384': 48,
  'A256CBC-HS512': 64,
};

type Family = 'hmac' | 'rsa' | 'ecdsa' | 'eddsa' | 'ecdh' | 'aes' | 'dir' | 'pbes2';

const FAMILY_KEY_TYPE: Record<Exclude<Family, 'ecdh'>, KeyType> = {
  hmac: 'oct',
  aes: 'oct',
  dir: 'oct',
  pbes2: 'oct',
  rsa: 'RSA',
  ecdsa: 'EC',
  eddsa: 'OKP',
};

interface Pinned {
  alg: JwsAlg | JweAlg;
  enc?: JweEnc;
  use: 'sig' | 'enc';
  family: Family;
}

/**
 * Imports one JWK after checking it is fit for exactly one algorithm. Refuses, with a
 * `KeyImportError`:
 * - a JWK that is not an object, or has an unknown `kty` (RSA, EC, OKP, oct are known);
 * - a missing `alg` (keys must pin their algorithm), `none`, `RSA1_5`, `dir` (a direct key names
 *   its content encryption algorithm, e.g. `A256GCM`) and unregistered algorithms;
 * - `alg` inconsistent with `kty` or `crv` (ES256 needs P-256, EdDSA needs Ed25519, ...);
 * - `use` or `key_ops` contradicting the algorithm (a signing alg with `use: "enc"`, ...);
 * - HMAC keys shorter than the hash output (HS256 < 32 bytes, HS384 < 48, HS512 < 64), AES and
 *   direct keys of the wrong length, PBES2 passwords under 8 bytes;
 * - RSA moduli under 2048 or over 8192 bits, any public exponent but 65537, and moduli with the
 *   ROCA fingerprint (CVE-2017-15361);
 * - key material that is not canonical base64url, or that the platform cannot import (an EC
 *   point off its curve, ...).
 * Private members are accepted (signing and decryption keys); `jwk` keeps only public members.
 * It does NOT check that private and public members belong together.
 */
export async function importKey(jwk: unknown, options: ImportKeyOptions = {}): Promise<ImportedKey> {
  const extractable = readExtractable(options);
  const input = checkObject(jwk);
  const kty = checkKty(input);
  const pinned = pinAlgorithm(input);
  checkKid(input);
  checkUse(input, pinned);
  checkKeyOps(input, pinned);
  checkEncoding(input);
  checkMaterial(input, kty, pinned);
  const isPrivate = kty === 'oct' || input.d !== undefined;
  const { key, publicKey } = await importMaterial(input, kty, pinned, isPrivate, extractable);
  const imported: ImportedKey = {
    ...(typeof input.kid === 'string' && { kid: input.kid }),
    alg: pinned.alg,
    ...(pinned.enc !== undefined && { enc: pinned.enc }),
    ...(input.use !== undefined && { use: input.use as 'sig' | 'enc' }),
    kty,
    ...(typeof input.crv === 'string' && { crv: input.crv }),
    isPrivate,
    key,
    ...(publicKey !== undefined && { publicKey }),
    jwk: toPublicJwk(input, kty),
  };
  return Object.freeze(imported);
}

/**
 * Imports a JWK Set (`{ "keys": [...] }`) once; verify and decrypt calls then only look keys up.
 * Every key passes `importKey`'s checks, and the set as a whole is refused (`KeyImportError`)
 * when: it is not an object with a `keys` array, it has more than `maxKeys` keys, two keys share
 * a `kid`, or it mixes symmetric (`oct`) and asymmetric keys. An empty set is accepted and
 * matches nothing.
 */
export async function importKeySet(jwks: unknown, options: ImportKeySetOptions = {}): Promise<KeySet> {
  const maxKeys = options.maxKeys ?? 100;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError('options.maxKeys must be a positive integer');
  }
  const list = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(list)) {
    throw new KeyImportError('a JWK Set must be an object with a "keys" array');
  }
  if (list.length > maxKeys) throw new KeyImportError(`the JWK Set has more than ${maxKeys} keys`);
  const keys = await Promise.all(list.map((jwk, index) => importKeyAt(jwk, index, options)));
  checkUniqueKids(keys);
  checkSymmetry(keys);
  return createKeySet(keys);
}

async function importKeyAt(jwk: unknown, index: number, options: ImportKeyOptions): Promise<ImportedKey> {
  try {
    return await importKey(jwk, options);
  } catch (error) {
    if (!(error instanceof KeyImportError)) throw error;
    const kid = (jwk as { kid?: unknown } | null)?.kid;
    const where = typeof kid === 'string' ? `keys[${index}] (kid "${kid}")` : `keys[${index}]`;
    throw new KeyImportError(`${where}: ${error.message}`, { cause: error.cause });
  }
}

function checkUniqueKids(keys: readonly ImportedKey[]): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (key.kid === undefined) continue;
    if (seen.has(key.kid)) throw new KeyImportError(`two keys share the kid "${key.kid}"`);
    seen.add(key.kid);
  }
}

function checkSymmetry(keys: readonly ImportedKey[]): void {
  const symmetric = keys.filter((key) => key.kty === 'oct').length;
  if (symmetric > 0 && symmetric < keys.length) {
    throw new KeyImportError('a JWK Set must not mix symmetric (oct) and asymmetric keys');
  }
}

function createKeySet(keys: ImportedKey[]): KeySet {
  const byKid = new Map<string, ImportedKey>();
  const byAlg = new Map<string, ImportedKey[]>();
  for (const key of keys) {
    if (key.kid !== undefined) byKid.set(key.kid, key);
    const same = byAlg.get(key.alg);
    if (same) same.push(key);
    else byAlg.set(key.alg, [key]);
  }
  return Object.freeze({
    keys: Object.freeze(keys),
    get(kid: string | undefined, alg: string): ImportedKey | undefined {
      if (kid !== undefined) {
        const key = byKid.get(kid);
        return key?.alg === alg ? key : undefined;
      }
      const candidates = byAlg.get(alg);
      return candidates?.length === 1 ? candidates[0] : undefined;
    },
  });
}

function readExtractable(options: ImportKeyOptions): boolean {
  const { extractable = false } = options;
  if (typeof extractable !== 'boolean') throw new TypeError('options.extractable must be a boolean');
  return extractable;
}

function checkObject(jwk: unknown): Record<string, unknown> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new KeyImportError('a JWK must be an object');
  }
  return jwk as Record<string, unknown>;
}

function checkKty(jwk: Record<string, unknown>): KeyType {
  if (typeof jwk.kty !== 'string' || !KEY_TYPES.has(jwk.kty)) {
    throw new KeyImportError(`unsupported "kty" ${JSON.stringify(jwk.kty) ?? 'undefined'}`);
  }
  return jwk.kty as KeyType;
}

function pinAlgorithm(jwk: Record<string, unknown>): Pinned {
  const { alg } = jwk;
  if (alg === undefined) throw new KeyImportError('the JWK has no "alg": keys must pin their algorithm');
  if (typeof alg !== 'string') throw new KeyImportError('"alg" must be a string');
  if (alg === 'none' || alg === 'RSA1_5') throw new KeyImportError(`"alg" ${alg} is refused`);
  if (alg === 'dir') {
    throw new KeyImportError(
      'a direct-encryption key names its content encryption algorithm as "alg" (e.g. A256GCM)',
    );
  }
  if (isJwsAlg(alg)) return { alg, use: 'sig', family: jwsFamily(alg) };
  if (isJweAlg(alg)) return { alg, use: 'enc', family: jweFamily(alg) };
  if (isJweEnc(alg)) return { alg: 'dir', enc: alg, use: 'enc', family: 'dir' };
  throw new KeyImportError(`unsupported "alg" ${JSON.stringify(alg)}`);
}

function jwsFamily(alg: JwsAlg): Family {
  if (alg.startsWith('HS')) return 'hmac';
  if (alg.startsWith('RS') || alg.startsWith('PS')) return 'rsa';
  if (alg.startsWith('ES')) return 'ecdsa';
  return 'eddsa';
}

function jweFamily(alg: JweAlg): Family {
  if (alg.startsWith('RSA-OAEP')) return 'rsa';
  if (alg.startsWith('ECDH-ES')) return 'ecdh';
  if (alg.startsWith('PBES2')) return 'pbes2';
  return 'aes';
}

function checkKid(jwk: Record<string, unknown>): void {
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || jwk.kid === '')) {
    throw new KeyImportError('"kid" must be a non-empty string');
  }
}

function checkUse(jwk: Record<string, unknown>, pinned: Pinned): void {
  if (jwk.use === undefined) return;
  if (jwk.use !== 'sig' && jwk.use !== 'enc') throw new KeyImportError('"use" must be "sig" or "enc"');
  if (jwk.use !== pinned.use) {
    throw new KeyImportError(`"use" ${jwk.use} contradicts "alg" ${String(jwk.alg)}`);
  }
}

function checkKeyOps(jwk: Record<string, unknown>, pinned: Pinned): void {
  const ops = jwk.key_ops;
  if (ops === undefined) return;
  if (!Array.isArray(ops) || ops.length === 0 || ops.some((op) => typeof op !== 'string')) {
    throw new KeyImportError('"key_ops" must be a non-empty array of strings');
  }
  if (new Set(ops).size !== ops.length) throw new KeyImportError('"key_ops" repeats a value');
  const allowed = pinned.use === 'sig' ? SIG_OPS : ENC_OPS;
  const wrong = ops.find((op: string) => !allowed.has(op));
  if (wrong !== undefined) {
    throw new KeyImportError(`"key_ops" ${wrong} contradicts "alg" ${String(jwk.alg)}`);
  }
}

function checkEncoding(jwk: Record<string, unknown>): void {
  for (const member of BASE64URL_MEMBERS) {
    const value = jwk[member];
    if (value === undefined) continue;
    if (typeof value !== 'string' || tryDecodeBase64Url(value) === undefined) {
      throw new KeyImportError(`"${member}" is not canonical base64url`);
    }
  }
}

function checkMaterial(jwk: Record<string, unknown>, kty: KeyType, pinned: Pinned): void {
  if (pinned.family === 'ecdh') {
    checkEcdh(jwk, kty);
    return;
  }
  const expected = FAMILY_KEY_TYPE[pinned.family];
  if (kty !== expected) {
    throw new KeyImportError(`"alg" ${String(jwk.alg)} needs "kty" ${expected}, not ${kty}`);
  }
  if (pinned.family === 'hmac') checkSecretLength(jwk, hashBitsOf(pinned.alg)! / 8, Number.POSITIVE_INFINITY);
  else if (pinned.family === 'aes') checkSecretLength(jwk, aesKeyBytes(pinned.alg), aesKeyBytes(pinned.alg));
  else if (pinned.family === 'dir')
    checkSecretLength(jwk, DIRECT_KEY_BYTES[pinned.enc!], DIRECT_KEY_BYTES[pinned.enc!]);
  else if (pinned.family === 'pbes2') checkSecretLength(jwk, MIN_PASSWORD_BYTES, Number.POSITIVE_INFINITY);
  else if (pinned.family === 'rsa') checkRsa(jwk);
  else if (pinned.family === 'ecdsa') checkCurve(jwk, EC_CURVE[pinned.alg]!);
  else checkCurve(jwk, 'Ed25519');
}

/** 16, 24 or 32: the key size of A128KW, A192GCMKW, ... */
function aesKeyBytes(alg: string): number {
  return Number(alg.slice(1, 4)) / 8;
}

function checkSecretLength(jwk: Record<string, unknown>, min: number, max: number): void {
  if (typeof jwk.k !== 'string') throw new KeyImportError('the oct key has no "k"');
  const length = tryDecodeBase64Url(jwk.k)!.length;
  if (length < min || length > max) {
    const wanted = min === max ? `${min}` : `at least ${min}`;
    throw new KeyImportError(`"alg" ${String(jwk.alg)} needs a key of ${wanted} bytes, not ${length}`);
  }
}

function checkRsa(jwk: Record<string, unknown>): void {
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new KeyImportError('the RSA key lacks "n" or "e"');
  }
  const modulus = tryDecodeBase64Url(jwk.n)!;
  const bits = bitLength(modulus);
  if (bits < MIN_RSA_BITS) {
    throw new KeyImportError(`RSA keys need at least ${MIN_RSA_BITS} bits, not ${bits}`);
  }
  if (bits > MAX_RSA_BITS) {
    throw new KeyImportError(`RSA keys of more than ${MAX_RSA_BITS} bits are not accepted`);
  }
  if (jwk.e !== 'AQAB') throw new KeyImportError('the RSA public exponent must be 65537');
  if (hasRocaFingerprint(modulus)) {
    throw new KeyImportError('the RSA key is vulnerable to ROCA (CVE-2017-15361)');
  }
}

function checkCurve(jwk: Record<string, unknown>, crv: string): void {
  if (jwk.crv !== crv) throw new KeyImportError(`"alg" ${String(jwk.alg)} needs "crv" ${crv}`);
}

function checkEcdh(jwk: Record<string, unknown>, kty: KeyType): void {
  const crv = typeof jwk.crv === 'string' ? jwk.crv : '';
  if (ECDH_CURVES[crv] !== kty) {
    throw new KeyImportError(
      `"alg" ${String(jwk.alg)} needs an EC key on P-256, P-384, P-521 or an OKP key on X25519`,
    );
  }
}

function bitLength(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  if (i === bytes.length) return 0;
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i]!));
}

const PUBLIC_MEMBERS: Record<KeyType, readonly string[]> = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
  OKP: ['kty', 'crv', 'x'],
  oct: ['kty'],
};
const PRIVATE_MEMBERS: Record<KeyType, readonly string[]> = {
  RSA: ['d', 'p', 'q', 'dp', 'dq', 'qi'],
  EC: ['d'],
  OKP: ['d'],
  oct: ['k'],
};

async function importMaterial(
  jwk: Record<string, unknown>,
  kty: KeyType,
  pinned: Pinned,
  isPrivate: boolean,
  extractable: boolean,
): Promise<{ key: CryptoKey | Uint8Array; publicKey?: CryptoKey }> {
  try {
    if (kty === 'oct') return { key: await importSecret(jwk, pinned, extractable) };
    const publicMembers = pick(jwk, PUBLIC_MEMBERS[kty]);
    const publicKey = (await importJWK(publicMembers, pinned.alg, { extractable: true })) as CryptoKey;
    if (!isPrivate) return { key: publicKey, publicKey };
    const privateMembers = pick(jwk, [...PUBLIC_MEMBERS[kty], ...PRIVATE_MEMBERS[kty]]);
    const key = (await importJWK(privateMembers, pinned.alg, { extractable })) as CryptoKey;
    return { key, publicKey };
  } catch (cause) {
    throw new KeyImportError('the key material could not be imported', { cause });
  }
}

async function importSecret(jwk: Record<string, unknown>, pinned: Pinned, extractable: boolean) {
  const secret = tryDecodeBase64Url(jwk.k as string)!;
  if (pinned.family !== 'hmac') return secret;
  const hash = `SHA-${hashBitsOf(pinned.alg)}`;
  return crypto.subtle.importKey(
    'raw',
    secret as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash },
    extractable,
    ['sign', 'verify'],
  );
}

function pick(jwk: Record<string, unknown>, members: readonly string[]): JWK {
  const out: Record<string, unknown> = {};
  for (const member of members) if (jwk[member] !== undefined) out[member] = jwk[member];
  return out as JWK;
}

function toPublicJwk(jwk: Record<string, unknown>, kty: KeyType): PublicJwk {
  const out = pick(jwk, PUBLIC_MEMBERS[kty]) as PublicJwk;
  if (typeof jwk.kid === 'string') out.kid = jwk.kid;
  if (typeof jwk.alg === 'string') out.alg = jwk.alg;
  if (jwk.use === 'sig' || jwk.use === 'enc') out.use = jwk.use;
  return Object.freeze(out);
}
