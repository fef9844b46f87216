/**
 * A bounded map from the exact token string to what its verification produced. An entry ends at
 * the time given to `set` (the token's `exp`, or earlier); once `maxEntries` is reached a
 * least-recently-used entry is dropped (a "second chance" approximation of LRU: an entry hit
 * since it was last passed over is kept once more). With `maxEntries` 0 it remembers nothing.
 *
 * `offer` is how a verifier adds: a token is remembered only when it is offered the second time
 * while a small admission filter still holds its fingerprint. A token used once (a client that
 * takes a new token for every call) is then never stored, so it neither pushes out tokens that
 * are reused nor lives long enough to burden the garbage collector; a reused token is verified
 * twice, then served from the cache.
 *
 * Lookups hash only the token's last characters (its signature's, for a JWS) and then compare the
 * whole string, so a 1 KB token costs no more to find than a short one.
 *
 * It does NOT verify anything and does NOT know about revocation or policies: the caller still
 * checks those on every hit.
 */
export class TokenCache<V> {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Entry<V>>();
  /** The admission filter: one fingerprint per slot, 0 for none. */
  readonly #seen: Int32Array;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new TypeError('maxEntries must be a non-negative integer');
    }
    this.#maxEntries = maxEntries;
    this.#seen = new Int32Array(maxEntries === 0 ? 0 : filterSlots(maxEntries));
  }

  /** How many entries are held (expired ones included until they are looked up or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value remembered for `token`, if its entry has not ended at `now` (epoch seconds). */
  get(token: string, now: number): V | undefined {
    const key = keyOf(token);
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (now >= entry.until) {
      this.#entries.delete(key);
      return undefined;
    }
    entry.used = true;
    return entry.value;
  }

  /** Remembers `value` for `token` until `until` (epoch seconds, exclusive). */
  set(token: string, value: V, until: number): void {
    if (this.#maxEntries === 0) return;
    const key = keyOf(token);
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#evict();
    this.#entries.set(key, { token, value, until, used: false });
  }

  /**
   * `set`, but only for a token offered before whose fingerprint the admission filter still
   * holds; otherwise its fingerprint is recorded (replacing whichever shared the slot). True
   * when the token was remembered.
   */
  offer(token: string, value: V, until: number): boolean {
    const seen = this.#seen;
    if (seen.length === 0) return false;
    const print = fingerprint(token);
    const slot = print & (seen.length - 1);
    if (seen[slot] !== print) {
      seen[slot] = print;
      return false;
    }
    seen[slot] = 0;
    this.set(token, value, until);
    return true;
  }

  /** Forgets every entry and every fingerprint (e.g. when the signing keys changed). */
  clear(): void {
    this.#entries.clear();
    this.#seen.fill(0);
  }

  /** Drops the oldest entry not used since it was last passed over; used ones move to the back. */
  #evict(): void {
    const entries = this.#entries;
    for (const [key, entry] of entries) {
      entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      entries.set(key, entry);
    }
  }
}

interface Entry<V> {
  /** The whole token: the map's key is only its end. */
  token: string;
  value: V;
  until: number;
  /** Hit since it was added or last passed over by eviction. */
  used: boolean;
}

/** Characters of the token's end that key the map (a JWS signature's last 240 bits). */
const KEY_LENGTH = 40;
/** Characters of the token's end that make its admission fingerprint. */
const PRINT_LENGTH = 16;

function keyOf(token: string): string {
  return token.length <= KEY_LENGTH ? token : token.slice(token.length - KEY_LENGTH);
}

/** A non-zero 32-bit FNV-1a hash of the token's last characters. Not a security measure. */
function fingerprint(token: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let i = Math.max(0, token.length - PRINT_LENGTH); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  }
  return hash === 0 ? 1 : hash;
}

/** Twice the entries, as a power of two from 1,024 to 1,048,576 (4 MiB). */
function filterSlots(maxEntries: number): number {
  let slots = 1024;
  while (slots < maxEntries * 2 && slots < 1 << 20) slots *= 2;
  return slots;
}
