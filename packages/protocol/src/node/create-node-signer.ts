import { createHmac, KeyObject, sign } from 'node:crypto';
import { isJwsAlg } from '../algorithms.js';
import type { ImportedKey } from '../key-set.js';
import type { SignJwtOptions } from '../sign-jwt.js';
import { type NodeAlgorithm, nodeAlgorithmOf } from './lib/node-algorithm-of.js';

/** Signs one JWT synchronously; see `createNodeSigner`. */
export type NodeSigner = (payload: Record<string, unknown>, options?: SignJwtOptions) => string;

/**
 * A synchronous `signJwt` for one key, signing with `node:crypto`. The key's `CryptoKey` is turned
 * into a `KeyObject` once, here. Each call returns what `signJwt(payload, key, options)` returns:
 * header `{ alg, kid, typ }` in that order (`kid` omitted when the key has none, `typ` when unset),
 * the payload serialised as given (no claim added), and the signature of the key's pinned `alg`:
 * RSASSA-PKCS1-v1_5, RSASSA-PSS (MGF1, salt as long as the hash), ECDSA as `r || s`, Ed25519 or
 * HMAC. Throws `TypeError` when `key` is not a private or secret signing key (at creation), and,
 * per call, when `payload` is not a plain object or `options.typ` not a non-empty string.
 */
export function createNodeSigner(key: ImportedKey): NodeSigner {
  if (!isJwsAlg(key?.alg) || !key.isPrivate || key.key instanceof Uint8Array) {
    throw new TypeError('key must be a private or secret signing key');
  }
  const { alg, kid } = key;
  const algorithm = nodeAlgorithmOf(alg);
  const keyObject = toKeyObject(key.key);
  return (payload, options = {}) => {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new TypeError('payload must be a plain object');
    }
    if (options.typ !== undefined && (typeof options.typ !== 'string' || options.typ === '')) {
      throw new TypeError('options.typ must be a non-empty string');
    }
    const header = {
      alg,
      ...(kid !== undefined && { kid }),
      ...(options.typ !== undefined && { typ: options.typ }),
    };
    const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
    const signature = signInput(algorithm, keyObject, Buffer.from(signingInput, 'latin1'));
    return `${signingInput}.${signature.toString('base64url')}`;
  };
}

function toKeyObject(key: CryptoKey): KeyObject {
  try {
    return KeyObject.from(key);
  } catch (cause) {
    throw new TypeError('key must be a private or secret signing key', { cause });
  }
}

function encodeJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function signInput(algorithm: NodeAlgorithm, key: KeyObject, data: Buffer): Buffer {
  switch (algorithm.kind) {
    case 'hmac':
      return createHmac(algorithm.hash, key).update(data).digest();
    case 'rsa':
      return sign(algorithm.hash, data, {
        key,
        padding: algorithm.padding,
        ...(algorithm.saltLength !== undefined && { saltLength: algorithm.saltLength }),
      });
    case 'ecdsa':
      return sign(algorithm.hash, data, { key, dsaEncoding: 'ieee-p1363' });
    case 'eddsa':
      return sign(null, data, key);
  }
}
