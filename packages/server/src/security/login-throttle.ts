import type { ThrottleSettings } from '../config.js';

/**
 * Throttles sign-in attempts in fixed windows: failed attempts per account and per client IP
 * (an attempt counts as soon as it starts, so parallel guesses cannot slip through, and is taken
 * back when it succeeds, so a busy IP — a proxy, an office — is not locked out by its users'
 * successful sign-ins). Memory holds at most `maxKeys` counters (oldest dropped first). Per process: with
 * several idp processes each counts on its own.
 *
 * A second instance throttles sign-ups per IP only (`retryAfterIp`, `recordIp`): every sign-up
 * that reaches the account check counts, whether it creates an account or finds the address
 * taken, with the same `perIp` and `window`.
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

  /** Seconds to wait before another attempt from `ip` is allowed, counting the IP alone. */
  retryAfterIp(ip: string): number {
    return this.#wait(`ip:${ip}`, this.#settings.perIp, this.#clock());
  }

  /** Counts an attempt against the IP alone; nothing takes it back. */
  recordIp(ip: string): void {
    this.#bump(`ip:${ip}`);
  }

  /** Counts an attempt against the IP and the account (see `reset` for a successful one). */
  record(account: string, ip: string): void {
    this.#bump(`ip:${ip}`);
    this.#bump(`account:${account.toLowerCase()}`);
  }

  /** After a successful sign-in: forgets the account's failures and takes the attempt back from the IP. */
  reset(account: string, ip: string): void {
    this.#counters.delete(`account:${account.toLowerCase()}`);
    const counter = this.#counters.get(`ip:${ip}`);
    if (counter && counter.count > 0) counter.count -= 1;
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

/** "Try again in N minutes." for a wait of `seconds`. */
export function tryAgainIn(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
}
