import { generateSigningKey, type ImportedKey, importKey, importKeySet, type KeySet } from '@warden/protocol';
import { createNodeSigner, type NodeSigner } from '@warden/protocol/node';
import type { SigningAlg, SigningKey, Storage } from '../storage/storage.js';

export interface KeyManagerOptions {
  storage: Storage;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** How long a retired key stays published: the longest lifetime of a token it signed (s). */
  retiredKeyLifetime: () => Promise<number>;
  /** How often the key table is re-read, so a rotation by another process is picked up (ms). */
  reloadInterval?: number;
}

interface Loaded {
  at: number;
  /** Identifies the key set (kids, statuses, what is published); unchanged means nothing to re-import. */
  version: string;
  rows: SigningKey[];
  signing: Map<SigningAlg, ImportedKey>;
  signers: Map<SigningAlg, NodeSigner>;
  verification: KeySet;
  jwks: { keys: Record<string, unknown>[] };
}

/**
 * Signing keys: generated on first use and kept in the database. Per algorithm there is one
 * `current` key (signs), one `next` key (published ahead of use, so verifiers already hold it when
 * it becomes current) and `retired` keys, published until every token they signed has expired.
 * `revoked` keys are never published again.
 */
export class KeyManager {
  readonly #storage: Storage;
  readonly #clock: () => number;
  readonly #retiredKeyLifetime: () => Promise<number>;
  readonly #reloadInterval: number;
  #loaded: Loaded | undefined;
  /** The last imported key set, kept across invalidation so an unchanged set is not re-imported. */
  #lastImport: Loaded | undefined;
  #loading: Promise<Loaded> | undefined;

  constructor(options: KeyManagerOptions) {
    this.#storage = options.storage;
    this.#clock = options.clock;
    this.#retiredKeyLifetime = options.retiredKeyLifetime;
    this.#reloadInterval = options.reloadInterval ?? 1000;
  }

  /** The key that signs with `alg` now; creates a current and a next key when there is none. */
  async signingKey(alg: SigningAlg): Promise<ImportedKey> {
    let loaded = await this.#load();
    let key = loaded.signing.get(alg);
    if (!key) {
      await this.ensure([alg]);
      loaded = await this.#load(true);
      key = loaded.signing.get(alg);
    }
    if (!key) throw new Error(`no signing key for ${alg}`);
    return key;
  }

  /**
   * A synchronous signer (node:crypto, the key converted once) for the current `alg` key; creates
   * a current and a next key when there is none.
   */
  async signer(alg: SigningAlg): Promise<NodeSigner> {
    const signer = (await this.#load()).signers.get(alg);
    if (signer) return signer;
    await this.signingKey(alg);
    const created = (await this.#load()).signers.get(alg);
    if (!created) throw new Error(`no signing key for ${alg}`);
    return created;
  }

  /** Keys that tokens of this issuer may be verified with (current, next and retired). */
  async verificationKeys(): Promise<KeySet> {
    return (await this.#load()).verification;
  }

  /** The public JWK Set served at `/.well-known/jwks.json`. */
  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    return (await this.#load()).jwks;
  }

  /** Every key row, private parts removed, for the CLI. */
  async list(): Promise<Omit<SigningKey, 'privateJwk'>[]> {
    const { rows } = await this.#load(true);
    return rows.map(({ privateJwk: _private, ...rest }) => rest);
  }

  /** Makes sure each algorithm has a current and a next key. */
  async ensure(algs: Iterable<SigningAlg>): Promise<void> {
    const rows = await this.#storage.keys.list();
    const now = this.#now();
    for (const alg of new Set(algs)) {
      const mine = rows.filter((row) => row.alg === alg);
      if (!mine.some((row) => row.status === 'current')) await this.#insert(alg, 'current', now);
      if (!mine.some((row) => row.status === 'next')) await this.#insert(alg, 'next', now);
    }
    this.#loaded = undefined;
  }

  /**
   * For every algorithm: the current key retires, the next becomes current, and a new next key is
   * published. Retired keys past their tokens' lifetime are deleted.
   */
  async rotate(): Promise<{ alg: SigningAlg; retired: string | null; current: string; next: string }[]> {
    const now = this.#now();
    const rows = await this.#storage.keys.list();
    const algs = new Set(rows.filter((row) => row.status !== 'revoked').map((row) => row.alg));
    const result = [];
    for (const alg of algs) {
      const current = rows.find((row) => row.alg === alg && row.status === 'current');
      let next = rows.find((row) => row.alg === alg && row.status === 'next');
      if (current) await this.#storage.keys.setStatus(current.kid, 'retired', now);
      if (!next) next = await this.#insert(alg, 'next', now);
      await this.#storage.keys.setStatus(next.kid, 'current', now);
      const fresh = await this.#insert(alg, 'next', now);
      result.push({ alg, retired: current?.kid ?? null, current: next.kid, next: fresh.kid });
    }
    await this.#deleteExpired(now);
    this.#loaded = undefined;
    return result;
  }

  /**
   * The nuclear option: every key is revoked and replaced, so no token signed before this call
   * verifies anywhere once verifiers refresh their JWKS.
   */
  async revokeAll(): Promise<{ revoked: string[] }> {
    const now = this.#now();
    const rows = await this.#storage.keys.list();
    const live = rows.filter((row) => row.status !== 'revoked');
    for (const row of live) await this.#storage.keys.setStatus(row.kid, 'revoked', now);
    const algs = new Set(live.filter((row) => row.status !== 'retired').map((row) => row.alg));
    for (const alg of algs) {
      await this.#insert(alg, 'current', now);
      await this.#insert(alg, 'next', now);
    }
    this.#loaded = undefined;
    return { revoked: live.map((row) => row.kid) };
  }

  /** Forgets the cached key table so the next call re-reads it. */
  invalidate(): void {
    this.#loaded = undefined;
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  async #insert(alg: SigningAlg, status: 'current' | 'next', now: number): Promise<SigningKey> {
    const generated = await generateSigningKey(alg);
    const row: SigningKey = {
      kid: generated.kid,
      alg,
      status,
      privateJwk: generated.privateJwk,
      publicJwk: generated.publicJwk,
      createdAt: now,
      activatedAt: status === 'current' ? now : null,
      retiredAt: null,
    };
    await this.#storage.keys.insert(row);
    return row;
  }

  async #deleteExpired(now: number): Promise<void> {
    const lifetime = await this.#retiredKeyLifetime();
    for (const row of await this.#storage.keys.list()) {
      const ended = row.status === 'retired' || row.status === 'revoked';
      if (ended && row.retiredAt !== null && row.retiredAt + lifetime < now)
        await this.#storage.keys.delete(row.kid);
    }
  }

  async #load(force = false): Promise<Loaded> {
    const fresh = this.#loaded && this.#clock() - this.#loaded.at < this.#reloadInterval;
    if (this.#loaded && fresh && !force) return this.#loaded;
    if (!this.#loading) {
      this.#loading = this.#read().finally(() => {
        this.#loading = undefined;
      });
    }
    return this.#loading;
  }

  async #read(): Promise<Loaded> {
    const rows = await this.#storage.keys.list();
    const now = this.#now();
    const lifetime = await this.#retiredKeyLifetime();
    const published = rows.filter(
      (row) =>
        row.status === 'current' ||
        row.status === 'next' ||
        (row.status === 'retired' && (row.retiredAt ?? 0) + lifetime >= now),
    );
    // Importing keys is costly (RSA parsing, weak-key checks): re-import only when the set changed.
    const version = [
      ...rows.map((row) => `${row.kid}:${row.status}`),
      ...published.map((row) => row.kid),
    ].join('|');
    const previous = this.#lastImport;
    if (previous?.version === version) {
      this.#loaded = { ...previous, rows, at: this.#clock() };
      return this.#loaded;
    }
    const signing = new Map<SigningAlg, ImportedKey>();
    for (const row of rows) {
      if (row.status === 'current' && !signing.has(row.alg)) {
        signing.set(row.alg, await importKey({ ...row.privateJwk, kid: row.kid, alg: row.alg }));
      }
    }
    const jwks = {
      keys: published.map((row) => ({ ...row.publicJwk, kid: row.kid, alg: row.alg, use: 'sig' })),
    };
    const verification = await importKeySet(jwks);
    const signers = new Map([...signing].map(([alg, key]) => [alg, createNodeSigner(key)] as const));
    const loaded: Loaded = { at: this.#clock(), version, rows, signing, signers, verification, jwks };
    this.#loaded = loaded;
    this.#lastImport = loaded;
    return loaded;
  }
}
