import { createSecretKey, KeyObject } from 'node:crypto';
import { KeyImportError } from '../key-import-error.js';
import { type ImportedKey, type ImportKeySetOptions, importKeySet, type KeySet } from '../key-set.js';

const keyObjects = new WeakMap<ImportedKey, KeyObject>();

/**
 * Imports a JWK Set for `verifyCompactJwsNode` and `verifyJwtNode`: exactly `importKeySet` (the
 * same checks and `KeyImportError`s: weak HMAC secrets, RSA under 2048 bits, other exponents
 * than 65537 and ROCA moduli, duplicate `kid`s, mixed symmetric and asymmetric keys, `alg`
 * against `kty`/`crv`, `use`, `key_ops`, ...), then a `node:crypto` `KeyObject` for every key,
 * made once here and reused by every verification: the public half of an asymmetric key, the
 * secret of an `oct` key. The `KeyObject`s are kept out of the returned set, so a non-extractable
 * secret stays unexportable through it. The set also works with the jose-based `verifyJwt`.
 */
export async function importNodeKeySet(jwks: unknown, options: ImportKeySetOptions = {}): Promise<KeySet> {
  const keys = await importKeySet(jwks, options);
  for (const key of keys.keys) {
    try {
      keyObjectOf(key);
    } catch (cause) {
      throw new KeyImportError('the key material could not be imported into node:crypto', { cause });
    }
  }
  return keys;
}

/**
 * The `KeyObject` that verifies with `key`: the one `importNodeKeySet` made, or (for a key from
 * `importKeySet`) one made now and kept for later calls. It wraps the key's own `CryptoKey`
 * (`KeyObject.from`), so nothing is imported or parsed again.
 */
export function keyObjectOf(key: ImportedKey): KeyObject {
  let keyObject = keyObjects.get(key);
  if (keyObject === undefined) {
    const material = key.publicKey ?? key.key;
    keyObject = material instanceof Uint8Array ? createSecretKey(material) : KeyObject.from(material);
    keyObjects.set(key, keyObject);
  }
  return keyObject;
}
