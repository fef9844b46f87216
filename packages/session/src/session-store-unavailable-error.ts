/**
 * A network store (PostgreSQL, Redis) did not answer in time or could not be reached. The call
 * may or may not have taken effect; the store itself recovers when its server returns, so the
 * request can simply be retried later. The session manager turns it into an `OAuthError`
 * `temporarily_unavailable` (HTTP 503): a request that needs the session fails closed.
 */
export class SessionStoreUnavailableError extends Error {
  /** The RFC 6749 error code a transport should answer with. */
  readonly error = 'temporarily_unavailable';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SessionStoreUnavailableError';
  }
}

/** True for a `SessionStoreUnavailableError` (an `instanceof` check). */
export function isSessionStoreUnavailable(error: unknown): error is SessionStoreUnavailableError {
  return error instanceof SessionStoreUnavailableError;
}

/** The default per-call deadline of the network stores, in milliseconds. */
export const DEFAULT_STORE_TIMEOUT_MS = 1_000;

/** Checks a `timeout` option: a whole number of milliseconds from 1 to 60,000. */
export function checkTimeout(value: unknown, option = 'timeout'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > 60_000) {
    throw new TypeError(`${option}: must be a whole number of milliseconds from 1 to 60000`);
  }
  return value;
}

/**
 * Settles like `work`, except that it rejects with `SessionStoreUnavailableError` when `work` has
 * not settled after `ms`, and that errors `isOutage(error)` calls an outage are replaced by one.
 * `onTimeout` runs once when the deadline passes (a store may drop a stuck connection there).
 * Does NOT cancel `work`: a write may still land after the caller was told it timed out.
 */
export function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  isOutage: (error: unknown) => boolean,
  onTimeout?: () => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new SessionStoreUnavailableError(`${what} did not answer within ${ms} ms`));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof SessionStoreUnavailableError || !isOutage(error)) reject(error);
        else reject(new SessionStoreUnavailableError(`${what} is unavailable`, { cause: error }));
      },
    );
  });
}
