import type { Storage } from '../storage/storage.js';

/** A budget of requests per fixed window. */
export interface RateLimitSettings {
  /** Requests allowed per window. */
  limit: number;
  /** The window, in seconds. */
  window: number;
}

/** What `RateLimit.hit` decided, with what Auth0's `x-ratelimit-*` headers say. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window (0 once over). */
  remaining: number;
  /** When the window ends: epoch seconds (`x-ratelimit-reset`). */
  reset: number;
  /** Seconds until a request may pass again (`Retry-After`): 0 when allowed, else at least 1. */
  retryAfter: number;
}

/**
 * A fixed-window rate limit counted in `storage.rateLimits`, so every process on the database
 * counts the same requests. Windows are aligned on the epoch (a 10 s window: :00, :10, :20…) by
 * the injected clock. Each `hit` counts, refused or not, so a caller that keeps hammering stays
 * refused until the window ends.
 *
 * What it does NOT do: decide who a key is (the caller names it, e.g. `mgmt:<client_id>`), or
 * purge old counters (`purgeExpired` does).
 */
export class RateLimit {
  readonly #storage: Pick<Storage, 'rateLimits'>;
  readonly #settings: RateLimitSettings;
  readonly #clock: () => number;

  constructor(storage: Pick<Storage, 'rateLimits'>, settings: RateLimitSettings, clock: () => number) {
    this.#storage = storage;
    this.#settings = settings;
    this.#clock = clock;
  }

  get settings(): RateLimitSettings {
    return this.#settings;
  }

  /** Counts a request of `key` now and says whether it is within the limit. */
  async hit(key: string): Promise<RateLimitDecision> {
    const { limit, window } = this.#settings;
    const windowMs = window * 1000;
    const now = this.#clock();
    const counted = await this.#storage.rateLimits.hit(key, Math.floor(now / windowMs) * windowMs);
    const end = counted.windowStart + windowMs;
    const allowed = counted.count <= limit;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - counted.count),
      reset: Math.ceil(end / 1000),
      retryAfter: allowed ? 0 : Math.max(1, Math.ceil((end - now) / 1000)),
    };
  }
}
