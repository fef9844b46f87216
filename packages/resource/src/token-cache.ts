/**
 * A bounded least-recently-used map from the exact token string to what its verification
 * produced. An entry ends at the time given to `set` (the token's `exp`, or earlier); the
 * oldest-used entry is dropped once `maxEntries` is reached. With `maxEntries` 0 it remembers
 * nothing.
 *
 * It does NOT verify anything and does NOT know about revocation or policies: the caller still
 * checks those on every hit.
 */
export class TokenCache<V> {
  readonly #maxEntries: number;
  readonly #entries = new Map<string, { value: V; until: number }>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new TypeError('maxEntries must be a non-negative integer');
    }
    this.#maxEntries = maxEntries;
  }

  /** How many entries are held (expired ones included until they are looked up or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The value remembered for `token`, if its entry has not ended at `now` (epoch seconds). */
  get(token: string, now: number): V | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    this.#entries.delete(token);
    if (now >= entry.until) return undefined;
    this.#entries.set(token, entry);
    return entry.value;
  }

  /** Remembers `value` for `token` until `until` (epoch seconds, exclusive). */
  set(token: string, value: V, until: number): void {
    if (this.#maxEntries === 0) return;
    this.#entries.delete(token);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    this.#entries.set(token, { value, until });
  }

  /** Forgets every entry (e.g. when the signing keys changed). */
  clear(): void {
    this.#entries.clear();
  }
}
