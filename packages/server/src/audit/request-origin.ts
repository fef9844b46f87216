import { AsyncLocalStorage } from 'node:async_hooks';

/** Where the request being answered comes from, for the audit log. */
export interface RequestOrigin {
  /** The peer's address as the server sees it; null when unknown (e.g. an in-process request). */
  ip: string | null;
  userAgent: string | null;
}

/** Longest user agent kept (some clients send kilobytes). */
const MAX_USER_AGENT = 512;

const current = new AsyncLocalStorage<RequestOrigin>();

/**
 * Runs `handle` with `origin` as the origin of everything it does, so an audit entry written deep
 * in a handler knows the request's IP and user agent without every function passing them on.
 */
export function withRequestOrigin<T>(origin: RequestOrigin, handle: () => T): T {
  return current.run(origin, handle);
}

/** The origin of the request being answered, or undefined outside one (the CLI, a timer). */
export function currentRequestOrigin(): RequestOrigin | undefined {
  return current.getStore();
}

/**
 * The origin of `request` received from `address` (`'unknown'` or empty: null). The user agent is
 * kept as sent, cut at 512 characters. Does NOT read forwarding headers: behind a proxy the address
 * is the proxy's.
 */
export function requestOrigin(request: Request, address: string | undefined): RequestOrigin {
  const userAgent = request.headers.get('user-agent');
  return {
    ip: address && address !== 'unknown' ? address : null,
    userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT) : null,
  };
}
