import { createHmac, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { KeySet } from '../key-set.js';
import { parseCompactJws } from '../lib/parse-compact-jws.js';
import { OAuthError } from '../oauth-error.js';
import type { VerifiedJws, VerifyJwsOptions } from '../verify-jws.js';
import { hasEcdsaScalarsInRange } from './lib/has-ecdsa-scalars-in-range.js';
import { type NodeAlgorithm, nodeAlgorithmOf } from './lib/node-algorithm-of.js';
import { tryDecodeBase64UrlNode } from './lib/try-decode-base64url-node.js';
import { keyObjectOf } from './node-key-set.js';

/**
 * `verifyCompactJws` with the signature checked by `node:crypto` instead of jose/WebCrypto, and
 * synchronous. Everything before the signature is the same code (size limit before parsing,
 * compact form, canonical base64url, header JSON without duplicate members, `alg` present,
 * never `none`, among `options.algorithms`, no `crit`, no `b64: false`, key chosen by `kid` and
 * pinned to `alg`), with the same `OAuthError('invalid_token', <reason>)`s and `TypeError`s.
 * The signature: HMAC compared in constant time; RSASSA-PKCS1-v1_5; RSASSA-PSS with MGF1 and a
 * salt as long as the hash; ECDSA as `r || s` of the curve's exact length with `r` and `s` in
 * [1, n − 1] (checked here before OpenSSL sees it); Ed25519.
 * It does NOT read `jku`, `x5u`, `jwk` or `x5c`, and does NOT look at the payload. `keys`
 * should come from `importNodeKeySet`; a set from `importKeySet` works too.
 */
export function verifyCompactJwsNode(
  token: string,
  keys: KeySet,
  options: VerifyJwsOptions = {},
): VerifiedJws {
  const { header, payload, signature, signingInput, key } = parseCompactJws(
    token,
    keys,
    options,
    tryDecodeBase64UrlNode,
  );
  let valid = false;
  try {
    valid = verifySignature(nodeAlgorithmOf(key.alg), keyObjectOf(key), signingInput, signature);
  } catch (cause) {
    throw new OAuthError('invalid_token', 'invalid signature', { cause });
  }
  if (!valid) throw new OAuthError('invalid_token', 'invalid signature');
  return { header, payload, key };
}

function verifySignature(
  algorithm: NodeAlgorithm,
  key: KeyObject,
  signingInput: string,
  signature: Uint8Array,
): boolean {
  const data = Buffer.from(signingInput, 'latin1');
  switch (algorithm.kind) {
    case 'hmac': {
      const expected = createHmac(algorithm.hash, key).update(data).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    case 'rsa':
      return verify(
        algorithm.hash,
        data,
        {
          key,
          padding: algorithm.padding,
          ...(algorithm.saltLength !== undefined && { saltLength: algorithm.saltLength }),
        },
        signature,
      );
    case 'ecdsa':
      return (
        hasEcdsaScalarsInRange(signature, algorithm.curve) &&
        verify(algorithm.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature)
      );
    case 'eddsa':
      return verify(null, data, key, signature);
  }
}
