export type {
  AuthState,
  BffAccess,
  BffClient,
  GetAccessTokenOptions,
  LoginOptions,
  LogoutOptions,
  StartResult,
  User,
  WardenClient,
} from '@warden/browser';
export { decodeJwt, isOAuthError, isTokenExpired, OAuthError } from '@warden/browser';
export { createApiUrlMatcher } from './api-url-matcher.js';
export { authGuard } from './auth-guard.js';
export { authInterceptor } from './auth-interceptor.js';
export { AuthService } from './auth-service.js';
export { provideWarden } from './provide-warden.js';
export type { WardenAccess } from './warden-access.js';
export { WardenCallbackComponent } from './warden-callback-component.js';
export {
  type ApiUrlMatcher,
  WARDEN_API_URLS,
  WARDEN_CLIENT,
  type WardenConfig,
  type WardenCookieConfig,
  type WardenTokenConfig,
} from './warden-config.js';
