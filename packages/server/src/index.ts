export {
  type AddApiInput,
  type AddClientInput,
  type AddConnectionInput,
  type AddUserInput,
  Admin,
  type AdminActor,
  AdminError,
  type ApiChanges,
  type ClientChanges,
  type ClientView,
  type ConnectionView,
  type CreateRoleInput,
  type KeyView,
  type RoleChanges,
  type RolePermission,
  type RolePermissionView,
  type UserPermissionView,
} from './admin/admin.js';
export { MAX_ACCESS_TOKEN_TTL, signingAlgs } from './admin/admin-checks.js';
export type { AdminErrorCode } from './admin/admin-error.js';
export { MANAGEMENT_API_PATH, managementApiIdentifier } from './admin/apis-admin.js';
export {
  type AuthenticationMethodView,
  type IdentityView,
  PASSWORD_METHOD_ID,
  type UserChanges,
  type UserSessionView,
  type UserView,
} from './admin/users-admin.js';
export { type AdminChange, type AuditEvent, AuditLog, type AuditLogOptions } from './audit/audit-log.js';
export { type Auth0Log, toAuth0Log } from './audit/auth0-log.js';
export { clientFields, userFields } from './audit/entry-fields.js';
export { describeChange, isSecretField, withoutSecrets } from './audit/leave-out-secrets.js';
export { LogQueryError, parseLogQuery } from './audit/log-query.js';
export { type LogType, logTypes } from './audit/log-types.js';
export { type RequestOrigin, requestOrigin, withRequestOrigin } from './audit/request-origin.js';
export { interactionClient, loadInteraction, type PendingInteraction } from './authorize/interactions.js';
export {
  type Logger,
  resolveServerConfig,
  type ServerConfig,
  type ServerOptions,
  serverDefaults,
} from './config.js';
export {
  completeUpstreamSignIn,
  failUpstreamSignIn,
  type UpstreamProfile,
  type UpstreamSignIn,
} from './connections/complete-upstream-sign-in.js';
export { openConnectionSecret } from './connections/connection-secret.js';
export { DATABASE_CONNECTION } from './connections/database-connection.js';
export { CONNECTION_START_PATH } from './connections/start-connection.js';
export type {
  ConfiguredConnection,
  UpstreamMethod,
  UpstreamRoute,
  UpstreamSettings,
  UpstreamStart,
} from './connections/upstream-method.js';
export {
  beginUpstreamTransaction,
  takeUpstreamTransaction,
  UPSTREAM_TRANSACTION_TTL,
  type UpstreamTransaction,
} from './connections/upstream-transaction.js';
export {
  ADMINISTRATOR_ROLE,
  CONSOLE_CLIENT_ID,
  CONSOLE_PATH,
  consoleClient,
} from './console/console-client.js';
export {
  CONSOLE_SETUP_PATH,
  consoleSetupLink,
  hasAdministrator,
  SETUP_LINK_TTL,
} from './console/console-setup.js';
export { type AuthorizationServer, createAuthorizationServer } from './create-authorization-server.js';
export { answerHalfClosedRequests } from './http/answer-half-closed-requests.js';
export { type Params, readFormBody, readQuery } from './http/read-params.js';
export { purgeExpired } from './maintenance/purge-expired.js';
export { RateLimit, type RateLimitDecision, type RateLimitSettings } from './security/rate-limit.js';
export type { ServerContext } from './server-context.js';
export { type OpenedStorage, type OpenStorageOptions, openStorage } from './storage/open-storage.js';
export type * from './storage/storage.js';
export { clientGrantTypes, GRANTS_BY_CLIENT_TYPE } from './token/client-grant-types.js';
export { normalizeEmail } from './users/normalize-login.js';
export { parseUserQuery } from './users/parse-user-query.js';
