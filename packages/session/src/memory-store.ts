import { checkCreateOptions, leastRecentlySeen } from './least-recently-seen.js';
import type {
  CreateSessionOptions,
  CreateSessionResult,
  SessionRecord,
  SessionStore,
} from './session-store.js';

export interface MemoryStoreOptions {
  /** Records examined for expiry on each `create` (default 8). 0 turns the sweep off. */
  sweepBatch?: number;
}

interface Entry {
  record: Omit<SessionRecord, 'data'>;
  /** Kept serialised, as a real store would, so callers never share objects with the store. */
  json: string;
}

/**
 * A session store in process memory, for tests and single-process development. Sessions are lost
 * on restart and not shared between processes.
 *
 * Expired records are removed a few at a time: each `create` examines the next `sweepBatch`
 * records (a cursor that walks the whole map over successive calls), so the work per call stays
 * bounded while the map cannot grow with dead sessions. `deleteExpired` sweeps everything.
 * Like every store, it never reads a clock: "now" is the time its caller hands it (the new
 * record's `createdAt`, `deleteExpired`'s `now`), so it always agrees with its owner's clock.
 * Does NOT cap the total number of live sessions (only per user, when `create` is asked to).
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): SessionStore {
  const sweepBatch = options.sweepBatch ?? 8;
  if (!Number.isInteger(sweepBatch) || sweepBatch < 0) {
    throw new TypeError('sweepBatch: must be a non-negative integer');
  }

  const entries = new Map<string, Entry>();
  const byUser = new Map<string, Set<string>>();
  let cursor: Iterator<[string, Entry]> | undefined;

  function remove(idHash: string): boolean {
    const entry = entries.get(idHash);
    if (!entry) return false;
    entries.delete(idHash);
    const hashes = byUser.get(entry.record.userId);
    hashes?.delete(idHash);
    if (hashes?.size === 0) byUser.delete(entry.record.userId);
    return true;
  }

  function sweep(now: number): void {
    for (let i = 0; i < sweepBatch && entries.size > 0; i++) {
      cursor ??= entries.entries();
      const next = cursor.next();
      if (next.done) {
        cursor = undefined;
        continue;
      }
      const [idHash, entry] = next.value;
      if (isExpired(entry.record, now)) remove(idHash);
    }
  }

  return Object.freeze({
    async create(record: SessionRecord, options?: CreateSessionOptions): Promise<CreateSessionResult> {
      const maxPerUser = checkCreateOptions(options);
      if (entries.has(record.idHash)) throw new Error('a session with this idHash exists');
      const replaces = options?.replaces;
      if (replaces !== undefined && !entries.has(replaces)) return { created: false, evicted: [] };
      sweep(record.createdAt);
      if (replaces !== undefined) remove(replaces);
      const evicted: SessionRecord[] = [];
      if (maxPerUser !== undefined) {
        const others: Entry['record'][] = [];
        for (const idHash of [...(byUser.get(record.userId) ?? [])]) {
          const entry = entries.get(idHash)!;
          if (isExpired(entry.record, record.createdAt)) remove(idHash);
          else others.push(entry.record);
        }
        for (const victim of leastRecentlySeen(others, maxPerUser)) {
          evicted.push(toRecord(entries.get(victim.idHash)!));
          remove(victim.idHash);
        }
      }
      const { data, ...rest } = record;
      entries.set(record.idHash, { record: { ...rest }, json: JSON.stringify(data) });
      let hashes = byUser.get(record.userId);
      if (!hashes) {
        hashes = new Set();
        byUser.set(record.userId, hashes);
      }
      hashes.add(record.idHash);
      return { created: true, evicted };
    },

    async get(idHash: string): Promise<SessionRecord | undefined> {
      const entry = entries.get(idHash);
      return entry ? toRecord(entry) : undefined;
    },

    async touch(idHash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void> {
      const entry = entries.get(idHash);
      if (!entry) return;
      entry.record.lastSeenAt = Math.max(entry.record.lastSeenAt, lastSeenAt);
      entry.record.idleExpiresAt = Math.max(entry.record.idleExpiresAt, idleExpiresAt);
    },

    async update(idHash: string, data: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
      const entry = entries.get(idHash);
      if (!entry || entry.record.version !== expectedVersion) return false;
      entry.json = JSON.stringify(data);
      entry.record.version = expectedVersion + 1;
      return true;
    },

    async destroy(idHash: string): Promise<boolean> {
      return remove(idHash);
    },

    async destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number> {
      let removed = 0;
      for (const idHash of [...(byUser.get(userId) ?? [])]) {
        if (idHash !== exceptIdHash && remove(idHash)) removed += 1;
      }
      return removed;
    },

    async listForUser(userId: string): Promise<SessionRecord[]> {
      const records: SessionRecord[] = [];
      for (const idHash of byUser.get(userId) ?? []) {
        const entry = entries.get(idHash);
        if (entry) records.push(toRecord(entry));
      }
      return records;
    },

    async deleteExpired(now: number): Promise<number> {
      let removed = 0;
      for (const [idHash, entry] of [...entries]) {
        if (isExpired(entry.record, now) && remove(idHash)) removed += 1;
      }
      return removed;
    },

    async close(): Promise<void> {
      entries.clear();
      byUser.clear();
      cursor = undefined;
    },
  });
}

function isExpired(record: Omit<SessionRecord, 'data'>, now: number): boolean {
  return record.idleExpiresAt <= now || record.absoluteExpiresAt <= now;
}

function toRecord(entry: Entry): SessionRecord {
  return { ...entry.record, data: JSON.parse(entry.json) as Record<string, unknown> };
}
