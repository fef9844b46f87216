import { isJwsAlg, JWS_ALGORITHMS, type JwsAlg } from '../algorithms.js';
import { tryDecodeBase64Url } from '../base64url.js';
import type { ImportedKey, KeySet } from '../key-set.js';
import { OAuthError } from '../oauth-error.js';
import type { JwsHeader, VerifyJwsOptions } from '../verify-jws.js';
import { memoizeOptions } from './memoize-options.js';
import { parseJsonObject } from './parse-json-object.js';

/** A compact JWS that passed every check but the signature, with the one key that may verify it. */
export interface ParsedJws {
  header: JwsHeader;
  payload: Uint8Array;
  /** The decoded third segment. */
  signature: Uint8Array;
  /** `BASE64URL(header) "." BASE64URL(payload)`: the bytes the signature covers (ASCII). */
  signingInput: string;
  /** The key pinned to `header.alg`, chosen by `kid` (see `KeySet.get`). */
  key: ImportedKey & { alg: JwsAlg };
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;
const ALL_JWS: ReadonlySet<string> = new Set(JWS_ALGORITHMS);

/**
 * Steps 1 to 5 of `verifyCompactJws`, shared by every signature back end: size, compact form and
 * canonical base64url, header JSON without duplicate members, `alg` (never `none`, among
 * `algorithms`, no `crit`, no `b64: false`), `kid` type, and the key selection with `alg` pinned
 * to the key. It does NOT check the signature: a result is not a verified token until the
 * caller has checked `signature` over `signingInput` with `key`. Failures throw
 * `OAuthError('invalid_token', <short reason>)`; bad options throw `TypeError`. `decode` is the
 * strict base64url decoder (`tryDecodeBase64Url`'s contract); a back end may pass a faster one.
 */
export function parseCompactJws(
  token: string,
  keys: KeySet,
  options: VerifyJwsOptions,
  decode: (text: string) => Uint8Array | undefined = tryDecodeBase64Url,
): ParsedJws {
  const { maxSize, algorithms } = readOptions(options);
  const [headerBytes, payload, signature] = decodeSegments(token, maxSize, decode);
  const header = parseHeader(headerBytes);
  checkHeader(header, algorithms);
  const key = selectKey(keys, header);
  const signingInput = token.slice(0, token.lastIndexOf('.'));
  return { header, payload, signature, signingInput, key };
}

/** The JWS options checked once per options object. */
const readOptions = memoizeOptions(['maxSize', 'algorithms'], prepareOptions);

function prepareOptions(options: VerifyJwsOptions): { maxSize: number; algorithms: ReadonlySet<string> } {
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

/** Checks size and form, then decodes the three segments. */
function decodeSegments(
  token: string,
  maxSize: number,
  decode: (text: string) => Uint8Array | undefined,
): [Uint8Array, Uint8Array, Uint8Array] {
  if (typeof token !== 'string') fail('the token must be a string');
  if (token.length > maxSize) fail('the token is too large');
  if (!COMPACT_JWS.test(token)) fail('not a compact JWS');
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const header = decode(token.slice(0, first));
  const payload = decode(token.slice(first + 1, second));
  const signature = decode(token.slice(second + 1));
  if (header === undefined || payload === undefined || signature === undefined) {
    fail('malformed base64url segment');
  }
  return [header, payload, signature];
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

function selectKey(keys: KeySet, header: JwsHeader): ImportedKey & { alg: JwsAlg } {
  const key = keys.get(header.kid, header.alg);
  if (key === undefined) {
    fail(header.kid === undefined ? 'no unique key for the alg' : 'no key matches the kid and alg');
  }
  if (key.alg !== header.alg) fail('alg does not match the key');
  return key as ImportedKey & { alg: JwsAlg };
}

function fail(description: string): never {
  throw new OAuthError('invalid_token', description);
}
