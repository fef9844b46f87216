export {
  type AddApiInput,
  type AddClientInput,
  type AddUserInput,
  Admin,
  AdminError,
} from './admin/admin.js';
export {
  type Logger,
  resolveServerConfig,
  type ServerConfig,
  type ServerOptions,
  serverDefaults,
} from './config.js';
export { type AuthorizationServer, createAuthorizationServer } from './create-authorization-server.js';
export { answerHalfClosedRequests } from './http/answer-half-closed-requests.js';
export { purgeExpired } from './maintenance/purge-expired.js';
export { type OpenedStorage, type OpenStorageOptions, openStorage } from './storage/open-storage.js';
export type * from './storage/storage.js';
export { normalizeEmail } from './users/normalize-login.js';
