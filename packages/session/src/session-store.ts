/**
 * The persistence contract for cookie sessions. Every store (memory, SQLite, PostgreSQL, Redis)
 * passes the same suite, `test/store-contract.ts`.
 *
 * A store is deliberately dumb: it keeps records keyed by the SHA-256 of the session id and never
 * sees the id itself; the session manager decides what is expired, when to touch and how to
 * retry. All methods are async so network stores fit the same shape. Times are epoch milliseconds.
 *
 * Every operation that changes a record is atomic in the store (one statement, one transaction or
 * one script), so concurrent requests never lose a write and never bring a destroyed record back.
 * Network stores reject with `SessionStoreUnavailableError` when their server is down or slow,
 * within their per-call `timeout`.
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

/** What `create` may do in the same atomic step as storing the new record. */
export interface CreateSessionOptions {
  /**
   * Remove the record with this `idHash` (the session being rotated away). When it no longer
   * exists, nothing is stored and `created` is false: a rotation racing a destroy or a "log out
   * everywhere" never leaves a live session behind.
   */
  replaces?: string;
  /**
   * Keep at most this many of the user's sessions, the new one included, by removing the least
   * recently seen others (`lastSeenAt`, then `createdAt`, then `idHash`, oldest first). Records of
   * the user already expired at `record.createdAt` are removed first and never count. Concurrent
   * creates for one user are serialised, so the cap holds under a burst of sign-ins.
   */
  maxPerUser?: number;
}

export interface CreateSessionResult {
  /** False only when `replaces` named a record that no longer exists; nothing was stored then. */
  created: boolean;
  /** Live records removed to honour `maxPerUser`, as they were stored. */
  evicted: SessionRecord[];
}

export interface SessionStore {
  /**
   * Stores a new record, honouring `options` atomically. Rejects when a record with the same
   * `idHash` exists (storing nothing and removing nothing).
   */
  create(record: SessionRecord, options?: CreateSessionOptions): Promise<CreateSessionResult>;
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
  /** Removes the record; true when it existed. */
  destroy(idHash: string): Promise<boolean>;
  /** Removes every record of `userId` except `exceptIdHash`; returns how many were removed. */
  destroyAllForUser(userId: string, exceptIdHash?: string): Promise<number>;
  /** Every record of `userId`, in no particular order; may include expired ones (see `get`). */
  listForUser(userId: string): Promise<SessionRecord[]>;
  /** Removes records whose idle or absolute expiry is at or before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
  /** Releases what the store opened itself (a file, a connection); leaves what it was given. */
  close?(): Promise<void>;
}
