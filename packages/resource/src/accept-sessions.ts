import { OAuthError } from '@warden/protocol/core';
import { createOriginCheck, type SessionManager, type SessionRecord } from '@warden/session';
import type { Verifier } from './create-verifier.js';
import type { Principal } from './principal.js';
import { hasToken, type RequestLike } from './token-locations.js';

export interface AcceptSessionsOptions {
  /** The sessions of the backend-for-frontend (same store, same cookie name). */
  sessions: SessionManager;
  /**
   * Origins whose pages may send unsafe requests (POST, PUT, DELETE, …) with the cookie: the
   * app's origin. A cookie-authenticated unsafe request from anywhere else, or with none of
   * Sec-Fetch-Site, Origin and Referer, is refused with 403 before the session is read.
   */
  allowedOrigins: readonly string[];
  /**
   * The access token a session holds. Default: `data.tokens.accessToken`, where `@warden/bff`
   * keeps it.
   */
  accessTokenOf?: (record: SessionRecord) => string | undefined;
}

const sessionPrincipals = new WeakMap<Principal, Principal>();

/**
 * A verifier that also accepts a Warden session cookie, and yields the same principal for it as
 * for the bearer token the session holds (`via: 'session'`): API code does not change between
 * token mode and cookie mode. A request with a bearer token is judged on the token alone; only a
 * request without one, carrying the session cookie, is looked up by its cookie (others get the
 * verifier's usual 401). The session's access token goes through every
 * check a bearer token does (signature, claims, revocation), so a session whose token has expired
 * or been revoked is refused (401) until the backend-for-frontend refreshes it.
 *
 * It does NOT refresh tokens, and does NOT check CSRF for bearer requests (a browser never adds a
 * bearer token on its own). Throws `TypeError` for bad options.
 */
export function acceptSessions(verifier: Verifier, options: AcceptSessionsOptions): Verifier {
  if (typeof options?.sessions?.load !== 'function')
    throw new TypeError('sessions: must be a SessionManager');
  if (!Array.isArray(options.allowedOrigins) || options.allowedOrigins.length === 0) {
    throw new TypeError('allowedOrigins: must list the app origin(s) allowed to send unsafe requests');
  }
  const checkOrigin = createOriginCheck(options.allowedOrigins);
  const { sessions } = options;
  const accessTokenOf = options.accessTokenOf ?? defaultAccessTokenOf;

  async function verifySession(request: RequestLike, id: string): Promise<Principal> {
    const verdict = checkOrigin(request.method, request.headers);
    if (!verdict.ok) {
      throw new OAuthError('invalid_request', `cross-site request refused (${verdict.reason})`, {
        status: 403,
      });
    }
    const record = await sessions.load(id);
    if (record === undefined) throw new OAuthError('invalid_token', 'the session has ended');
    const token = accessTokenOf(record);
    if (typeof token !== 'string' || token === '')
      throw new OAuthError('invalid_token', 'the session holds no token');
    const principal = await verifier.verifyToken(token);
    if (principal.sub !== record.userId)
      throw new OAuthError('invalid_token', 'the session and its token disagree');
    return viaSession(principal);
  }

  /** The session's cookie id, when the request should be judged by its session (no token in it). */
  function sessionIdOf(request: RequestLike): string | undefined {
    const id = sessions.readCookie(readHeader(request.headers, 'cookie'));
    return id !== undefined && !hasToken(request, verifier.tokenLocations) ? id : undefined;
  }

  return {
    verify(request) {
      const id = sessionIdOf(request);
      return id === undefined ? verifier.verify(request) : verifySession(request, id);
    },
    verifyNow(request) {
      const id = sessionIdOf(request);
      if (id !== undefined) return verifySession(request, id);
      return verifier.verifyNow === undefined ? verifier.verify(request) : verifier.verifyNow(request);
    },
    verifyToken: (token) => verifier.verifyToken(token),
    status: () => verifier.status(),
    ready: () => verifier.ready(),
    close: () => verifier.close(),
    get realm() {
      return verifier.realm;
    },
    get tokenLocations() {
      return verifier.tokenLocations;
    },
  };
}

function defaultAccessTokenOf(record: SessionRecord): string | undefined {
  const tokens = (record.data as { tokens?: { accessToken?: unknown } }).tokens;
  return typeof tokens?.accessToken === 'string' ? tokens.accessToken : undefined;
}

/** The bearer principal, marked as reached through a session; made once per verified token. */
function viaSession(principal: Principal): Principal {
  let marked = sessionPrincipals.get(principal);
  if (marked === undefined) {
    marked = Object.freeze({ ...principal, via: 'session' as const });
    sessionPrincipals.set(principal, marked);
  }
  return marked;
}

function readHeader(headers: RequestLike['headers'], name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join('; ') : value;
}
