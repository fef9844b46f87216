export {
  checkCookieName,
  MAX_COOKIE_HEADER_LENGTH,
  MAX_COOKIE_PAIRS,
  parseCookieHeader,
  type SameSite,
  type SerializeCookieOptions,
  serializeCookie,
} from './cookie.js';
export {
  type CheckRequestOriginInput,
  checkRequestOrigin,
  createCsrfSecret,
  createCsrfToken,
  createOriginCheck,
  createPreSessionCsrf,
  type HeadersInput,
  type OriginCheckFailure,
  type OriginCheckResult,
  type PreSessionCsrf,
  type PreSessionCsrfOptions,
  preSessionCsrfDefaults,
  verifyCsrfToken,
} from './csrf.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { createPostgresStore, type PostgresStoreOptions } from './postgres-store.js';
export { createRedisStore, type RedisStoreOptions } from './redis-store.js';
export {
  createSessionId,
  hashSessionId,
  isSessionIdShape,
  type RandomBytes,
  SESSION_ID_BYTES,
} from './session-id.js';
export {
  createSessionManager,
  type IssuedSession,
  type SessionData,
  type SessionManager,
  type SessionManagerConfig,
  type SessionManagerOptions,
  sessionManagerDefaults,
} from './session-manager.js';
export type {
  CreateSessionOptions,
  CreateSessionResult,
  SessionRecord,
  SessionStore,
} from './session-store.js';
export {
  DEFAULT_STORE_TIMEOUT_MS,
  isSessionStoreUnavailable,
  SessionStoreUnavailableError,
} from './session-store-unavailable-error.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
