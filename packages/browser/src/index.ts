export { decodeJwt, isOAuthError, OAuthError, type OAuthErrorCode } from '@warden/protocol/core';
export type { AuthState, AuthStateListener } from './auth-state.js';
export { type CacheLocation, type ClientOptions, clientDefaults } from './client-options.js';
export {
  type BffAccess,
  type BffClient,
  type BffClientOptions,
  createBffClient,
} from './create-bff-client.js';
export {
  createClient,
  type GetAccessTokenOptions,
  type LoginOptions,
  type LogoutOptions,
  type Prompt,
  type StartResult,
  type WardenClient,
} from './create-client.js';
export { isTokenExpired } from './is-token-expired.js';
export type { User } from './user.js';
export type { ChannelLike, LockManagerLike, StorageLike, WindowLike } from './window-like.js';
