import { isDeepStrictEqual } from 'node:util';

/**
 * Field names whose values are secrets, compared without letter case, `_` and `-`: passwords and
 * their hashes, client secrets (plain, hashed or sealed), tokens and token hashes, authorization
 * codes, private keys, sealed upstream tokens and sealed token responses. The list is explicit (no
 * pattern), so `tokenEndpoint` or `accessTokenTtl` stay, and a test checks every entry.
 */
export const secretFields: ReadonlySet<string> = new Set([
  'password',
  'passwordhash',
  'newpassword',
  'secret',
  'secrethash',
  'clientsecret',
  'sealedsecret',
  'privatekey',
  'privatejwk',
  'token',
  'tokens',
  'tokenhash',
  'sealedtokens',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'code',
  'codehash',
  'codeverifier',
  'idhash',
  'sealedresponse',
  'successorhash',
  'csrftoken',
  'cookie',
  'authorization',
  'clientassertion',
]);

/** True when a field of this name holds a secret (see `secretFields`). */
export function isSecretField(name: string): boolean {
  return secretFields.has(name.toLowerCase().replace(/[-_]/g, ''));
}

/** How deep `withoutSecrets` copies; anything deeper is left out rather than copied unchecked. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` without any field named as a secret (`isSecretField`), at any depth. It does
 * NOT recognise a secret by its value: one stored under an innocent name stays (the callers pass
 * views that never hold secrets; this is the second line).
 */
export function withoutSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return undefined as T;
  if (Array.isArray(value)) return value.map((item) => withoutSecrets(item, depth + 1)) as T;
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    if (field !== undefined && !isSecretField(name)) copy[name] = withoutSecrets(field, depth + 1);
  }
  return copy as T;
}

/** What a management change did, as the `details` of its `sapi` entry show it. */
export interface ChangeDetails {
  /** The top-level fields an update changed, secrets included (by name only). Absent for a create or delete. */
  changed?: string[];
  /** Before: the changed fields of an update, or everything of a deleted thing; null for a create. */
  before: Record<string, unknown> | null;
  /** After: the changed fields of an update, or everything of a created thing; null for a delete. */
  after: Record<string, unknown> | null;
}

/**
 * The before/after of a change without its secrets. For an update (both sides given) only the
 * top-level fields whose values differ are kept, and a changed secret shows only by its name in
 * `changed`; a create (`before` null) or delete (`after` null) keeps the whole side it has.
 */
export function describeChange(before: object | null, after: object | null): ChangeDetails {
  if (before === null || after === null) {
    return {
      before: before === null ? null : withoutSecrets({ ...before }),
      after: after === null ? null : withoutSecrets({ ...after }),
    };
  }
  const old = before as Record<string, unknown>;
  const next = after as Record<string, unknown>;
  const changed: string[] = [];
  const was: Record<string, unknown> = {};
  const is: Record<string, unknown> = {};
  for (const name of new Set([...Object.keys(old), ...Object.keys(next)])) {
    if (isDeepStrictEqual(old[name], next[name])) continue;
    changed.push(name);
    if (isSecretField(name)) continue;
    if (old[name] !== undefined) was[name] = withoutSecrets(old[name]);
    if (next[name] !== undefined) is[name] = withoutSecrets(next[name]);
  }
  return { changed, before: was, after: is };
}
