import type { ThrottleSettings } from '../config.js';

/**
 * Throttles sign-in attempts in fixed windows: failed attempts per account, and all attempts per
 * client IP. Memory holds at most `maxKeys` counters (oldest dropped first). Per process: with
 * several idp processes each counts on its own.
 */
export class LoginThrottle {
  readonly #settings: ThrottleSettings;
  readonly #clock: () => number;
  readonly #counters = new Map<string, { count: number; resetAt: number }>();
  readonly #maxKeys: number;

  constructor(settings: ThrottleSettings, clock: () => number, maxKeys = 100_000) {
    this.#settings = settings;
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  /** Seconds to wait before another attempt is allowed, or 0 when one may be made now. */
  retryAfter(account: string, ip: string): number {
    const now = this.#clock();
    const waits = [
      this.#wait(`account:${account.toLowerCase()}`, this.#settings.perAccount, now),
      this.#wait(`ip:${ip}`, this.#settings.perIp, now),
    ];
    return Math.max(...waits);
  }

  /** Counts an attempt from `ip`; a failed one also counts against the account. */
  record(account: string, ip: string, failed: boolean): void {
    this.#bump(`ip:${ip}`);
    if (failed) this.#bump(`account:${account.toLowerCase()}`);
  }

  /** Forgets an account's failures after it signed in successfully. */
  reset(account: string): void {
    this.#counters.delete(`account:${account.toLowerCase()}`);
  }

  #wait(key: string, limit: number, now: number): number {
    const counter = this.#counters.get(key);
    if (!counter || counter.resetAt <= now || counter.count < limit) return 0;
    return Math.ceil((counter.resetAt - now) / 1000);
  }

  #bump(key: string): void {
    const now = this.#clock();
    const counter = this.#counters.get(key);
    if (counter && counter.resetAt > now) {
      counter.count += 1;
      return;
    }
    this.#counters.delete(key);
    if (this.#counters.size >= this.#maxKeys) {
      const oldest = this.#counters.keys().next().value;
      if (oldest !== undefined) this.#counters.delete(oldest);
    }
    this.#counters.set(key, { count: 1, resetAt: now + this.#settings.window * 1000 });
  }
}
