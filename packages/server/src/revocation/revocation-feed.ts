import type { RevocationEntry } from '@warden/protocol';
import type { Storage } from '../storage/storage.js';

type Listener = () => void;

/**
 * Watches storage for new revocation entries on behalf of every follower in this process: one
 * query per `interval` however many APIs are following, and none while nobody is. When entries
 * arrive (written by any process: another idp, the CLI) each follower is told, and reads from its
 * own position, so none can miss an entry that was written while it was connecting.
 */
export class RevocationFeed {
  readonly #storage: Storage;
  readonly #interval: number;
  readonly #listeners = new Set<Listener>();
  #lastSeq = -1;
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling = false;

  constructor(storage: Storage, interval = 200) {
    this.#storage = storage;
    this.#interval = interval;
  }

  /** Entries after `seq`, oldest first, at most `limit`. */
  read(seq: number, limit = 1000): Promise<RevocationEntry[]> {
    return this.#storage.revocations.since(seq, limit);
  }

  /** Calls `listener` whenever new entries exist, until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    if (!this.#timer) {
      this.#timer = setInterval(() => void this.#poll(), this.#interval);
      this.#timer.unref?.();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#timer) {
        clearInterval(this.#timer);
        this.#timer = undefined;
        this.#lastSeq = -1;
      }
    };
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const newest = await this.#newestSeq(Math.max(this.#lastSeq, 0));
      if (newest !== this.#lastSeq) {
        this.#lastSeq = newest;
        for (const listener of this.#listeners) listener();
      }
    } catch {
      // Storage unavailable: subscribers keep their position and get the entries on a later poll.
    } finally {
      this.#polling = false;
    }
  }

  async #newestSeq(from: number): Promise<number> {
    let seq = from;
    for (;;) {
      const batch = await this.#storage.revocations.since(seq, 1000);
      if (batch.length === 0) return seq;
      seq = batch[batch.length - 1]!.seq;
    }
  }
}
