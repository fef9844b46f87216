import type { Revocation } from '../storage/storage.js';

/** The claims of an access token that revocation entries match against. */
export interface RevocableClaims {
  jti?: unknown;
  sub?: unknown;
  sid?: unknown;
  client_id?: unknown;
  iat?: unknown;
}

/**
 * An in-memory view of the revocation feed: O(1) per token. A token is revoked when its `jti` is
 * listed, or when it was issued (`iat`) before the not-before time of its user, session, client,
 * signing key, or of everything (`warden keys revoke-all`).
 */
export class RevocationSet {
  readonly #jti = new Map<string, number>();
  readonly #notBefore = new Map<string, number>();
  #all = 0;
  #lastSeq = 0;

  get lastSeq(): number {
    return this.#lastSeq;
  }

  apply(entries: Iterable<Revocation>): void {
    for (const entry of entries) {
      if (entry.seq <= this.#lastSeq) continue;
      this.#lastSeq = entry.seq;
      if (entry.kind === 'jti') this.#jti.set(entry.value, entry.expiresAt);
      else if (entry.kind === 'all') this.#all = Math.max(this.#all, entry.notBefore);
      else {
        const key = `${entry.kind}:${entry.value}`;
        this.#notBefore.set(key, Math.max(this.#notBefore.get(key) ?? 0, entry.notBefore));
      }
    }
  }

  /** Whether a token with these claims (signed by `kid`) is revoked. */
  isRevoked(claims: RevocableClaims, kid?: string): boolean {
    if (typeof claims.jti === 'string' && this.#jti.has(claims.jti)) return true;
    const iat = typeof claims.iat === 'number' ? claims.iat : 0;
    if (iat < this.#all) return true;
    const before = (kind: string, value: unknown) =>
      typeof value === 'string' && iat < (this.#notBefore.get(`${kind}:${value}`) ?? 0);
    return (
      before('user', claims.sub) ||
      before('session', claims.sid) ||
      before('client', claims.client_id) ||
      (kid !== undefined && this.#notBefore.has(`key:${kid}`))
    );
  }

  /** Whether this token id is on the feed (other entries aside). */
  hasJti(jti: string): boolean {
    return this.#jti.has(jti);
  }

  /** Drops `jti` entries whose tokens have expired anyway. */
  prune(now: number): void {
    for (const [jti, expiresAt] of this.#jti) if (expiresAt < now) this.#jti.delete(jti);
  }
}
