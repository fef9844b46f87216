import { type RevocableClaims, RevocationSet } from '@warden/protocol';
import type { ServerConfig } from '../config.js';
import { nowSeconds } from '../config.js';
import type { RevocationKind, Storage } from '../storage/storage.js';

/**
 * Writes revocations to the feed that every API follows, and answers "is this token revoked" for
 * the idp's own endpoints (userinfo, introspection) from an incrementally refreshed view.
 */
export class Revocations {
  readonly #config: ServerConfig;
  readonly #storage: Storage;
  readonly #set = new RevocationSet();
  readonly #maxTokenLifetime: () => Promise<number>;
  #syncedAt = -Infinity;
  #syncing: Promise<void> | undefined;

  constructor(config: ServerConfig, maxTokenLifetime: () => Promise<number>) {
    this.#config = config;
    this.#storage = config.storage;
    this.#maxTokenLifetime = maxTokenLifetime;
  }

  /** Revokes one access token until it would have expired anyway. */
  async revokeToken(jti: string, exp: number): Promise<void> {
    const now = nowSeconds(this.#config);
    await this.#storage.revocations.add({ kind: 'jti', value: jti, notBefore: now, expiresAt: exp });
    this.#syncedAt = -Infinity;
  }

  /** Revokes every token issued so far to a user, session, client, or signed by a key ('*': all). */
  async revokeIssuedBefore(kind: Exclude<RevocationKind, 'jti'>, value: string): Promise<void> {
    const now = nowSeconds(this.#config);
    const expiresAt = now + (await this.#maxTokenLifetime());
    // Tokens issued in this very second are covered too: not-before is exclusive of `now + 1`.
    await this.#storage.revocations.add({ kind, value, notBefore: now + 1, expiresAt });
    this.#syncedAt = -Infinity;
  }

  async isRevoked(claims: RevocableClaims, kid?: string): Promise<boolean> {
    await this.#sync();
    return this.#set.isRevoked(claims, kid);
  }

  /**
   * Whether `jti` itself was revoked, after reading every entry written so far by any process
   * (a read already in flight may predate the question, so it is not reused).
   */
  async isJtiRevokedNow(jti: string): Promise<boolean> {
    await this.#syncing?.catch(() => {});
    this.#syncedAt = -Infinity;
    await this.#sync();
    return this.#set.hasJti(jti);
  }

  async #sync(): Promise<void> {
    if (this.#config.clock() - this.#syncedAt < 200) return;
    if (!this.#syncing) {
      this.#syncing = (async () => {
        for (;;) {
          const batch = await this.#storage.revocations.since(this.#set.lastSeq, 1000);
          this.#set.apply(batch);
          if (batch.length < 1000) break;
        }
        this.#set.prune(nowSeconds(this.#config));
        this.#syncedAt = this.#config.clock();
      })().finally(() => {
        this.#syncing = undefined;
      });
    }
    await this.#syncing;
  }
}
