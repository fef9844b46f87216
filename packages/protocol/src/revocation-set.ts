/** What a revocation entry covers. */
export type RevocationKind = 'jti' | 'user' | 'session' | 'client' | 'key' | 'all';

/** One entry of the revocation feed the authorization server publishes and APIs follow. */
export interface RevocationEntry {
  /** Increases by one per entry; followers resume from the last one they applied. */
  seq: number;
  kind: RevocationKind;
  /** The jti, user id (`sub`), session id (`sid`), client id or key id; '*' for kind `all`. */
  value: string;
  /** Tokens of this subject issued (`iat`) before this time are revoked (epoch seconds). */
  notBefore: number;
  /** When the entry can be forgotten: no token it covers can still be valid (epoch seconds). */
  expiresAt: number;
}

/** The claims of an access token that revocation entries match against. */
export interface RevocableClaims {
  jti?: unknown;
  sub?: unknown;
  sid?: unknown;
  client_id?: unknown;
  iat?: unknown;
}

/**
 * An in-memory view of the revocation feed, answering in O(1) per token. A token is revoked when
 * its `jti` is listed, when its signing key was revoked, or when it was issued (`iat`) before the
 * not-before time of its user, session, client, or of everything. Entries are forgotten once they
 * expire (`prune`), so memory is bounded by what can still be valid.
 *
 * Does NOT verify anything: call it after the signature and claims checks.
 */
export class RevocationSet {
  readonly #entries = new Map<string, { notBefore: number; expiresAt: number }>();
  #all = { notBefore: 0, expiresAt: 0 };
  #lastSeq = 0;

  /** The sequence number of the newest entry applied (0 before any). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** How many entries are held (for metrics and memory bounds). */
  get size(): number {
    return this.#entries.size;
  }

  /** Applies feed entries in order; entries at or below `lastSeq` are ignored. */
  apply(entries: Iterable<RevocationEntry>): void {
    for (const entry of entries) {
      if (entry.seq <= this.#lastSeq) continue;
      this.#lastSeq = entry.seq;
      if (entry.kind === 'all') {
        this.#all = {
          notBefore: Math.max(this.#all.notBefore, entry.notBefore),
          expiresAt: Math.max(this.#all.expiresAt, entry.expiresAt),
        };
        continue;
      }
      const key = `${entry.kind}:${entry.value}`;
      const previous = this.#entries.get(key);
      this.#entries.set(key, {
        notBefore: Math.max(previous?.notBefore ?? 0, entry.notBefore),
        expiresAt: Math.max(previous?.expiresAt ?? 0, entry.expiresAt),
      });
    }
  }

  /** Whether a token with these claims, signed by `kid`, is revoked. */
  isRevoked(claims: RevocableClaims, kid?: string): boolean {
    if (typeof claims.jti === 'string' && this.#entries.has(`jti:${claims.jti}`)) return true;
    if (kid !== undefined && this.#entries.has(`key:${kid}`)) return true;
    const iat = typeof claims.iat === 'number' ? claims.iat : 0;
    if (iat < this.#all.notBefore) return true;
    return (
      this.#issuedBefore('user', claims.sub, iat) ||
      this.#issuedBefore('session', claims.sid, iat) ||
      this.#issuedBefore('client', claims.client_id, iat)
    );
  }

  /** Whether this exact `jti` is listed. */
  hasJti(jti: string): boolean {
    return this.#entries.has(`jti:${jti}`);
  }

  /** Forgets entries that expired before `now` (epoch seconds). */
  prune(now: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAt < now) this.#entries.delete(key);
    if (this.#all.expiresAt < now) this.#all = { notBefore: 0, expiresAt: 0 };
  }

  #issuedBefore(kind: string, value: unknown, iat: number): boolean {
    if (typeof value !== 'string') return false;
    const entry = this.#entries.get(`${kind}:${value}`);
    return entry !== undefined && iat < entry.notBefore;
  }
}
