import type { CustomFetch } from 'openid-client';

/** An upstream could not be reached, or did not answer in time. */
export class UpstreamUnavailableError extends Error {
  override name = 'UpstreamUnavailableError';
  /** Why, in a few words: "connection refused", "no answer within 10000 ms"… */
  readonly reason: string;

  constructor(url: string, reason: string, cause: unknown) {
    super(`${url}: ${reason}`, { cause });
    this.reason = reason;
  }
}

/**
 * `fetch` held to `timeout` milliseconds for the whole exchange, the body included (the signal
 * stays on the answer); whichever of that and the caller's signal comes first aborts it. A request
 * that fails (refused, unknown host, reset, TLS, timed out) rejects with `UpstreamUnavailableError`;
 * a body that stops coming later rejects where it is read, with the timeout's `TimeoutError`.
 */
export function timedFetch(fetch: typeof globalThis.fetch, timeout: number): CustomFetch {
  return async (url, init) => {
    const deadline = AbortSignal.timeout(timeout);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      return await fetch(url, { ...(init as RequestInit), signal });
    } catch (error) {
      throw new UpstreamUnavailableError(new URL(url).origin, unavailableReason(error, timeout), error);
    }
  };
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** A few words on why a request failed, from the first error code or abort in its cause chain. */
export function unavailableReason(error: unknown, timeout: number): string {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (
      current instanceof DOMException &&
      (current.name === 'TimeoutError' || current.name === 'AbortError')
    ) {
      return `no answer within ${timeout} ms`;
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (REASONS[code]) return REASONS[code];
      if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(code)) return `TLS failed (${code})`;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'the request failed';
}
