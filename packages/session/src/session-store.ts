/**
 * The persistence contract for cookie sessions. Every store (memory, SQLite, and later PostgreSQL
 * and Redis) passes the same suite, `test/store-contract.ts`.
 *
 * A store is deliberately dumb: it keeps records keyed by the SHA-256 of the session id and never
 * sees the id itself; the session manager decides what is expired, when to touch and how to
 * retry. All methods are async so network stores fit the same shape. Times are epoch milliseconds.
 */

/** One stored session. */
export interface SessionRecord {
  /** SHA-256 (base64url) of the session id. The id itself is never stored. */
  idHash: string;
  /**
   * Public, non-secret handle of the session (128 random bits, base64url), kept across a rotation
   * that keeps the user. Fit for an ID token's `sid` claim, logs and "sign out that device" pages;
   * it does not let anyone use the session.
   */
  sid: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  /** The session ends at this time unless it is used (touched) before. */
  idleExpiresAt: number;
  /** The session ends at this time whatever happens. */
  absoluteExpiresAt: number;
  /** Application data; must survive `JSON.stringify` / `JSON.parse`. */
  data: Record<string, unknown>;
  /** Starts at 1 and grows by one on each successful `update`; touches leave it alone. */
  version: number;
}

export interface SessionStore {
  /** Stores a new record. Rejects when a record with the same `idHash` exists. */
  create(record: SessionRecord): Promise<void>;
  /**
   * The record stored under `idHash`, or `undefined`. Returns a copy the caller may mutate.
   * A store MAY return records that have expired (the manager checks both expiry times and
   * destroys them) and MAY hide them (e.g. a Redis TTL): callers must not rely on either.
   */
  get(idHash: string): Promise<SessionRecord | undefined>;
  /**
   * Moves `lastSeenAt` and `idleExpiresAt` forward (never back: each becomes the larger of the
   * stored and the given value). Does nothing when the record does not exist — a touch that was
   * in flight when the session was destroyed must not bring it back. Leaves `version` alone.
   */
  touch(idHash: string, lastSeenAt: number, idleExpiresAt: number): Promise<void>;
  /**
   * Compare-and-set: replaces `data` and sets `version` to `expectedVersion + 1` only if the stored
   * version is `expectedVersion`. Returns false on a version conflict or when the record does not
   * exist (never creates one). Leaves the times alone.
   */
  update(idHash: string, data: Record<string, unknown>, expectedVersion: number): Promise<boolean>;
  /** Removes the record; does nothing when it does not exist. */
  destroy(idHash: string): Promise<void>;
  /** Removes every record of `userId` except `exceptIdHash`; returns how many were removed. */
  destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number>;
  /** Every record of `userId`, in no particular order; may include expired ones (see `get`). */
  listForUser(userId: string): Promise<SessionRecord[]>;
  /** Removes records whose idle or absolute expiry is at or before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
  /** Releases what the store opened itself (a file, a connection); leaves what it was given. */
  close?(): Promise<void>;
}
