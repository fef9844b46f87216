import { randomToken } from '@warden/protocol';
import { createSessionManager, type SessionManager } from '@warden/session';
import type { ServerConfig } from '../config.js';

/** The idp's single sign-on session, as the endpoints see it. */
export interface SsoSession {
  /** The secret cookie value (never stored; the store keeps its hash). */
  id: string;
  /** The public session id put in tokens as `sid`; revoking it revokes what the session issued. */
  sid: string;
  userId: string;
  /** When the user last entered their password (epoch seconds). */
  authTime: number;
  /** Keys the synchronizer CSRF tokens of forms shown inside this session. */
  csrfSecret: string;
}

/** What administrators see of a session (times in epoch seconds). */
export interface SsoSessionInfo {
  sid: string;
  userId: string;
  authTime: number;
  createdAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

interface SessionData extends Record<string, unknown> {
  authTime: number;
  csrfSecret: string;
}

/**
 * SSO sessions at the idp, on top of the `session` package: an opaque id in an HttpOnly cookie
 * (`__Host-` prefixed and Secure outside plain-http localhost), only its hash in the store, idle
 * and absolute timeouts, a fresh id at every sign-in, destroyed at logout.
 */
export class SsoSessions {
  readonly #manager: SessionManager;
  readonly #config: ServerConfig;

  constructor(config: ServerConfig) {
    this.#config = config;
    this.#manager = createSessionManager({
      store: config.sessionStore,
      secure: !config.insecureLocalhost,
      cookieName: config.insecureLocalhost ? 'warden_session' : '__Host-warden_session',
      idleTimeout: config.ttl.sessionIdle,
      absoluteTimeout: config.ttl.sessionAbsolute,
      clock: config.clock,
    });
  }

  /** The session the request's cookie names, if it is still valid. */
  async load(request: Request): Promise<SsoSession | undefined> {
    const id = this.#manager.readCookie(request.headers.get('cookie'));
    if (!id) return undefined;
    const record = await this.#manager.load(id);
    if (!record) return undefined;
    const data = record.data as SessionData;
    return {
      id,
      sid: record.sid,
      userId: record.userId,
      authTime: data.authTime,
      csrfSecret: data.csrfSecret,
    };
  }

  /**
   * Starts a session after the user proved who they are. Any session the browser had is destroyed
   * first, so the id always changes at sign-in (no session fixation).
   */
  async start(request: Request, userId: string): Promise<{ session: SsoSession; cookie: string }> {
    const previous = this.#manager.readCookie(request.headers.get('cookie'));
    if (previous) await this.#manager.destroy(previous);
    const data: SessionData = {
      authTime: Math.floor(this.#config.clock() / 1000),
      csrfSecret: randomToken(32),
    };
    const created = await this.#manager.create(userId, data);
    return {
      session: { id: created.id, sid: created.record.sid, userId, ...data },
      cookie: created.cookie,
    };
  }

  /** Destroys the session; returns the cookie that clears it in the browser. */
  async end(session: SsoSession): Promise<string> {
    return this.#manager.destroy(session.id);
  }

  /** Ends every session of a user (all browsers). */
  async endAllForUser(userId: string): Promise<number> {
    return this.#manager.destroyAllForUser(userId);
  }

  /** The user's live sessions, most recently seen first: their public facts, never ids or data. */
  async listForUser(userId: string): Promise<SsoSessionInfo[]> {
    return (await this.#manager.listForUser(userId)).map((record) => ({
      sid: record.sid,
      userId: record.userId,
      authTime: (record.data as SessionData).authTime,
      createdAt: Math.floor(record.createdAt / 1000),
      lastSeenAt: Math.floor(record.lastSeenAt / 1000),
      idleExpiresAt: Math.floor(record.idleExpiresAt / 1000),
      absoluteExpiresAt: Math.floor(record.absoluteExpiresAt / 1000),
    }));
  }

  /** Ends the user's session with this public `sid`; false when the user has none. */
  async endBySid(userId: string, sid: string): Promise<boolean> {
    return this.#manager.destroyBySid(userId, sid);
  }
}
