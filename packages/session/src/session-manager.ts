import { OAuthError } from '@warden/protocol/core';
import { checkCookieName, parseCookieHeader, type SameSite, serializeCookie } from './cookie.js';
import {
  createSessionId,
  hashSessionId,
  isSessionIdShape,
  type RandomBytes,
  randomBytesDefault,
  randomToken,
} from './session-id.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import { isSessionStoreUnavailable } from './session-store-unavailable-error.js';

export interface SessionManagerOptions {
  store: SessionStore;
  /**
   * Default `__Host-warden_session`, or `warden_session` when `secure` is false (browsers refuse
   * `__Host-` and `__Secure-` cookies without `Secure`, so such names are rejected then).
   */
  cookieName?: string;
  /**
   * Marks the cookie `Secure` (default true). Set false only for plain-http development on
   * localhost: the cookie then travels over unencrypted connections.
   */
  secure?: boolean;
  /** Seconds without a request after which a session ends. Default 86,400 (24 h). */
  idleTimeout?: number;
  /** Seconds after creation (or rotation) after which a session ends, used or not. Default 604,800 (7 d). */
  absoluteTimeout?: number;
  /** Seconds; the idle expiry is pushed forward at most once per interval (default 60). Must be < idleTimeout. */
  touchInterval?: number;
  /** Default `Lax`; `None` requires `secure`. */
  sameSite?: SameSite;
  /**
   * At most this many live sessions per user. A new sign-in beyond it ends the user's least
   * recently seen session (as most products do, rather than locking the user out); `create`
   * reports the ended ones in `evicted`. Default: no cap.
   */
  maxSessionsPerUser?: number;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: () => number;
  /** Cryptographically random bytes. Default `node:crypto` randomBytes. */
  random?: RandomBytes;
}

/** The documented defaults, sized for the authorization server's single sign-on session. */
export const sessionManagerDefaults = Object.freeze({
  cookieName: '__Host-warden_session',
  insecureCookieName: 'warden_session',
  secure: true,
  idleTimeout: 24 * 60 * 60,
  absoluteTimeout: 7 * 24 * 60 * 60,
  touchInterval: 60,
  sameSite: 'Lax' as SameSite,
});

/** The options after defaults, as the manager uses them. Frozen. */
export interface SessionManagerConfig {
  readonly cookieName: string;
  readonly secure: boolean;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly touchInterval: number;
  readonly sameSite: SameSite;
  /** `undefined` when there is no cap. */
  readonly maxSessionsPerUser: number | undefined;
}

/** A session just issued: the id goes to the browser in `cookie` and nowhere else. */
export interface IssuedSession {
  id: string;
  record: SessionRecord;
  /** `Set-Cookie` header value. */
  cookie: string;
  /**
   * The user's sessions ended to stay within `maxSessionsPerUser` (least recently seen first), so
   * the caller can log it or revoke what they issued (their `sid`). Empty without a cap.
   */
  evicted: SessionRecord[];
}

export type SessionData = Record<string, unknown>;

/**
 * Every method that reaches the store rejects with an `OAuthError` `temporarily_unavailable`
 * (status 503) when the store reports `SessionStoreUnavailableError` (server down or too slow):
 * a request that needs its session fails closed, quickly, and works again once the store is back.
 * Bad arguments throw `TypeError` naming the argument.
 */
export interface SessionManager {
  readonly config: SessionManagerConfig;
  /**
   * The clock this manager reads (epoch ms). What is built over the manager (a backend-for-frontend,
   * an API accepting sessions) reads time from here, so one process never judges one session by two
   * clocks.
   */
  readonly clock: () => number;
  /**
   * Starts a session for `userId` holding `data` (default `{}`). With `maxSessionsPerUser`, ends
   * the user's least recently seen sessions beyond the cap in the same atomic store step.
   */
  create(userId: string, data?: SessionData): Promise<IssuedSession>;
  /**
   * The live session named by a session id or by a whole `Cookie` header (told apart by shape: an
   * id is 43 base64url characters, a header is anything else), or `undefined`. Destroys the
   * session if it is past its idle or absolute expiry; otherwise touches it at most once per
   * `touchInterval`. Input that cannot be a session id is refused without asking the store.
   */
  load(cookieHeaderOrId: string | null | undefined): Promise<SessionRecord | undefined>;
  /**
   * Replaces a live session with a new id (against session fixation): data carried over, the old
   * id destroyed, a fresh absolute lifetime started. `sid` is kept unless `userId` names another
   * user. Call it whenever the user authenticates. `undefined` when `oldId` is not live.
   * The new record replaces the old one atomically in the store: a rotation racing a destroy (or a
   * "log out everywhere") leaves no session behind, and rotating never counts against the cap.
   */
  rotate(oldId: string, userId?: string): Promise<IssuedSession | undefined>;
  /**
   * Replaces the data with `mutate(copyOfData)` by compare-and-set, re-reading and re-running
   * `mutate` on conflict, so concurrent updates never lose a write. `mutate` may run several
   * times and must not have side effects. Returns the updated record, or `undefined` when the
   * session is not live (it is never recreated).
   */
  update(id: string, mutate: (data: SessionData) => SessionData): Promise<SessionRecord | undefined>;
  /** Destroys the session (if any) and returns the `Set-Cookie` value that clears the cookie. */
  destroy(id: string | undefined): Promise<string>;
  /**
   * Destroys every session of the user except `exceptId` ("log out everywhere" without it);
   * returns how many.
   */
  destroyAllForUser(userId: string, exceptId?: string): Promise<number>;
  /**
   * Destroys every other session of the user owning the live session `id` ("sign out my other
   * devices"); returns how many, or `undefined` when `id` is not live.
   */
  destroyOthers(id: string): Promise<number | undefined>;
  /** Destroys the user's session with this public `sid`; false when the user has none. */
  destroyBySid(userId: string, sid: string): Promise<boolean>;
  /** The user's live sessions, most recently seen first. */
  listForUser(userId: string): Promise<SessionRecord[]>;
  /** Asks the store to remove every expired session; returns how many. Call it on a timer. */
  deleteExpired(): Promise<number>;
  /** The session id from a `Cookie` header, or `undefined` when absent or not shaped like an id. */
  readCookie(cookieHeader: string | null | undefined): string | undefined;
  /** `Set-Cookie` value that clears the session cookie. */
  readonly clearCookie: string;
}

/** Updates give up (and throw) after this many conflicting attempts. */
const MAX_UPDATE_ATTEMPTS = 32;
const SID_BYTES = 16;

/**
 * Creates a manager for stateful cookie sessions. Session ids carry 256 random bits and reach the
 * store only as their SHA-256; the cookie is HttpOnly, Secure, SameSite=Lax, Path=/, host-only
 * with the `__Host-` prefix, and lives as long as the absolute timeout (the idle timeout is
 * enforced on the server, so touching never needs a new Set-Cookie).
 *
 * Validates the options (TypeError naming the option) and freezes the result. Does NOT protect
 * against CSRF by itself: check unsafe requests with `checkRequestOrigin` and/or CSRF tokens.
 */
export function createSessionManager(options: SessionManagerOptions): SessionManager {
  const config = resolveConfig(options);
  const store = failClosed(options.store);
  const clock = options.clock ?? Date.now;
  const random = options.random ?? randomBytesDefault;
  const idleMs = config.idleTimeout * 1000;
  const absoluteMs = config.absoluteTimeout * 1000;
  const touchMs = config.touchInterval * 1000;
  const cookieOptions = { httpOnly: true, secure: config.secure, sameSite: config.sameSite, path: '/' };
  const clearCookie = serializeCookie(config.cookieName, '', {
    ...cookieOptions,
    maxAge: 0,
    expires: new Date(0),
  });

  function readCookie(cookieHeader: string | null | undefined): string | undefined {
    const value = parseCookieHeader(cookieHeader).get(config.cookieName);
    return isSessionIdShape(value) ? value : undefined;
  }

  async function issue(
    userId: string,
    data: SessionData,
    sid: string,
    replacing?: SessionRecord,
  ): Promise<IssuedSession | undefined> {
    const id = createSessionId(random);
    const now = clock();
    const record: SessionRecord = {
      idHash: hashSessionId(id),
      sid,
      userId,
      createdAt: now,
      lastSeenAt: now,
      idleExpiresAt: now + idleMs,
      absoluteExpiresAt: now + absoluteMs,
      data,
      version: 1,
    };
    // A rotation that keeps the user swaps one session for another: the count stays the same.
    const capped = config.maxSessionsPerUser !== undefined && replacing?.userId !== userId;
    const result = await store.create(record, {
      ...(replacing === undefined ? {} : { replaces: replacing.idHash }),
      ...(capped ? { maxPerUser: config.maxSessionsPerUser } : {}),
    });
    if (!result.created) return undefined;
    const cookie = serializeCookie(config.cookieName, id, {
      ...cookieOptions,
      maxAge: config.absoluteTimeout,
    });
    return { id, record: copyRecord(record), cookie, evicted: result.evicted };
  }

  /** The record if it exists and has not expired; destroys it when it has. Never touches. */
  async function getLive(idHash: string): Promise<SessionRecord | undefined> {
    const record = await store.get(idHash);
    if (!record) return undefined;
    if (isExpired(record, clock())) {
      await store.destroy(idHash);
      return undefined;
    }
    return record;
  }

  async function touchIfDue(record: SessionRecord): Promise<SessionRecord> {
    const now = clock();
    if (now - record.lastSeenAt < touchMs) return record;
    const idleExpiresAt = Math.min(now + idleMs, record.absoluteExpiresAt);
    await store.touch(record.idHash, now, idleExpiresAt);
    return {
      ...record,
      lastSeenAt: Math.max(record.lastSeenAt, now),
      idleExpiresAt: Math.max(record.idleExpiresAt, idleExpiresAt),
    };
  }

  const manager: SessionManager = {
    config,
    clock,
    clearCookie,

    async create(userId, data = {}) {
      checkUserId(userId, 'userId');
      const issued = await issue(userId, normaliseData(data, 'data'), randomToken(random, SID_BYTES));
      return issued!;
    },

    async load(cookieHeaderOrId) {
      const id = isSessionIdShape(cookieHeaderOrId) ? cookieHeaderOrId : readCookie(cookieHeaderOrId);
      if (id === undefined) return undefined;
      const record = await getLive(hashSessionId(id));
      return record && touchIfDue(record);
    },

    async rotate(oldId, userId) {
      if (userId !== undefined) checkUserId(userId, 'userId');
      if (!isSessionIdShape(oldId)) return undefined;
      const old = await getLive(hashSessionId(oldId));
      if (!old) return undefined;
      const nextUserId = userId ?? old.userId;
      const sid = nextUserId === old.userId ? old.sid : randomToken(random, SID_BYTES);
      return issue(nextUserId, old.data, sid, old);
    },

    async update(id, mutate) {
      if (typeof mutate !== 'function') throw new TypeError('mutate: must be a function (data) => data');
      if (!isSessionIdShape(id)) return undefined;
      const idHash = hashSessionId(id);
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const record = await getLive(idHash);
        if (!record) return undefined;
        const data = normaliseData(mutate(record.data), 'mutate');
        if (await store.update(idHash, data, record.version)) {
          return copyRecord({ ...record, data, version: record.version + 1 });
        }
      }
      throw new Error(`session update still conflicting after ${MAX_UPDATE_ATTEMPTS} attempts`);
    },

    async destroy(id) {
      if (isSessionIdShape(id)) await store.destroy(hashSessionId(id));
      return clearCookie;
    },

    async destroyAllForUser(userId, exceptId) {
      checkUserId(userId, 'userId');
      const exceptIdHash = isSessionIdShape(exceptId) ? hashSessionId(exceptId) : undefined;
      return store.destroyAllForUser(userId, exceptIdHash);
    },

    async destroyOthers(id) {
      if (!isSessionIdShape(id)) return undefined;
      const idHash = hashSessionId(id);
      const current = await getLive(idHash);
      if (!current) return undefined;
      return store.destroyAllForUser(current.userId, idHash);
    },

    async destroyBySid(userId, sid) {
      checkUserId(userId, 'userId');
      const match = (await store.listForUser(userId)).find((record) => record.sid === sid);
      return match ? store.destroy(match.idHash) : false;
    },

    async listForUser(userId) {
      checkUserId(userId, 'userId');
      const now = clock();
      return (await store.listForUser(userId))
        .filter((record) => !isExpired(record, now))
        .sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },

    async deleteExpired() {
      return store.deleteExpired(clock());
    },

    readCookie,
  };
  return Object.freeze(manager);
}

function resolveConfig(options: SessionManagerOptions): SessionManagerConfig {
  if (options === null || typeof options !== 'object') throw new TypeError('options: must be an object');
  checkStore(options.store);
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw new TypeError('clock: must be a function returning epoch milliseconds');
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw new TypeError('random: must be a function (bytes) => Uint8Array');
  }
  const secure = options.secure ?? sessionManagerDefaults.secure;
  if (typeof secure !== 'boolean') throw new TypeError('secure: must be a boolean');
  const cookieName =
    options.cookieName ??
    (secure ? sessionManagerDefaults.cookieName : sessionManagerDefaults.insecureCookieName);
  checkCookieName(cookieName, 'cookieName');
  if (!secure && (cookieName.startsWith('__Host-') || cookieName.startsWith('__Secure-'))) {
    throw new TypeError('cookieName: browsers refuse __Host- and __Secure- cookies when secure is false');
  }
  const sameSite = options.sameSite ?? sessionManagerDefaults.sameSite;
  if (sameSite !== 'Lax' && sameSite !== 'Strict' && sameSite !== 'None') {
    throw new TypeError('sameSite: must be Lax, Strict or None');
  }
  if (sameSite === 'None' && !secure) throw new TypeError('sameSite: None requires secure');
  const idleTimeout = checkSeconds(
    options.idleTimeout ?? sessionManagerDefaults.idleTimeout,
    'idleTimeout',
    1,
  );
  const absoluteTimeout = checkSeconds(
    options.absoluteTimeout ?? sessionManagerDefaults.absoluteTimeout,
    'absoluteTimeout',
    1,
  );
  if (absoluteTimeout < idleTimeout) {
    throw new TypeError('absoluteTimeout: must be at least idleTimeout');
  }
  const touchInterval = checkSeconds(
    options.touchInterval ?? sessionManagerDefaults.touchInterval,
    'touchInterval',
    0,
  );
  if (touchInterval >= idleTimeout) throw new TypeError('touchInterval: must be less than idleTimeout');
  const maxSessionsPerUser = options.maxSessionsPerUser;
  if (
    maxSessionsPerUser !== undefined &&
    (!Number.isSafeInteger(maxSessionsPerUser) || maxSessionsPerUser < 1)
  ) {
    throw new TypeError('maxSessionsPerUser: must be a whole number, at least 1');
  }
  return Object.freeze({
    cookieName,
    secure,
    idleTimeout,
    absoluteTimeout,
    touchInterval,
    sameSite,
    maxSessionsPerUser,
  });
}

/**
 * The store with every method's `SessionStoreUnavailableError` turned into the `OAuthError`
 * `temporarily_unavailable` (503) that transports render. Other errors pass through unchanged.
 */
function failClosed(store: SessionStore): SessionStore {
  const guarded = {} as Record<string, unknown>;
  for (const name of STORE_METHODS) {
    const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[name]!;
    guarded[name] = async (...args: unknown[]) => {
      try {
        return await method.apply(store, args);
      } catch (error) {
        if (!isSessionStoreUnavailable(error)) throw error;
        throw new OAuthError(
          'temporarily_unavailable',
          'Sessions are unavailable right now; try again shortly',
          {
            cause: error,
          },
        );
      }
    };
  }
  return guarded as unknown as SessionStore;
}

const STORE_METHODS = [
  'create',
  'get',
  'touch',
  'update',
  'destroy',
  'destroyAllForUser',
  'listForUser',
  'deleteExpired',
] as const;

function checkStore(store: unknown): void {
  const methods = STORE_METHODS;
  if (
    store === null ||
    typeof store !== 'object' ||
    methods.some((name) => typeof (store as Record<string, unknown>)[name] !== 'function')
  ) {
    throw new TypeError(`store: must implement SessionStore (${methods.join(', ')})`);
  }
}

function checkSeconds(value: unknown, option: string, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`${option}: must be a whole number of seconds, at least ${min}`);
  }
  return value;
}

function checkUserId(userId: unknown, option: string): asserts userId is string {
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new TypeError(`${option}: must be a non-empty string`);
  }
}

/** A JSON round-trip copy of `data`, so what the caller holds is exactly what a store returns. */
function normaliseData(data: unknown, option: string): SessionData {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError(`${option}: session data must be a plain object`);
  }
  try {
    return JSON.parse(JSON.stringify(data)) as SessionData;
  } catch {
    throw new TypeError(`${option}: session data must be JSON-serialisable`);
  }
}

function copyRecord(record: SessionRecord): SessionRecord {
  return { ...record, data: normaliseData(record.data, 'data') };
}

function isExpired(record: SessionRecord, now: number): boolean {
  return now >= record.idleExpiresAt || now >= record.absoluteExpiresAt;
}
