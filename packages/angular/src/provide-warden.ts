import { DOCUMENT } from '@angular/common';
import {
  type EnvironmentProviders,
  inject,
  makeEnvironmentProviders,
  type Provider,
  provideAppInitializer,
} from '@angular/core';
import { createBffClient, createClient } from '@warden/browser';
import { createApiUrlMatcher } from './api-url-matcher.js';
import { AuthService } from './auth-service.js';
import {
  WARDEN_API_URLS,
  WARDEN_CLIENT,
  WARDEN_CONFIG,
  type WardenConfig,
  type WardenCookieConfig,
  type WardenTokenConfig,
} from './warden-config.js';

/**
 * Sets Warden up for the app: one client (options checked by `@warden/browser`; a bad one throws
 * `TypeError` naming it), the `AuthService`, the URLs `authInterceptor` may send the token to,
 * and the client's start while the app boots. The start is not awaited, so the first page (the
 * callback's loading message, for one) renders at once; `authGuard` and `authInterceptor` wait
 * for it.
 *
 * `mode: 'cookie'` uses `createBffClient()` instead of `createClient()`: the app's own server
 * (`@warden/bff`) signs in and keeps the tokens, `AuthService` works the same, and
 * `authInterceptor` attaches nothing (the browser sends the session cookie to its own origin).
 */
export function provideWarden(config: WardenConfig): EnvironmentProviders {
  if (typeof config !== 'object' || config === null)
    throw new TypeError('provideWarden: config must be an object');
  if (config.mode === 'cookie') return provideCookieMode(config);
  if (config.mode !== undefined && config.mode !== 'token') {
    throw new TypeError(`provideWarden: mode must be 'token' or 'cookie'`);
  }
  return provideTokenMode(config);
}

function provideTokenMode(config: WardenTokenConfig): EnvironmentProviders {
  const { apiUrls, mode: _mode, ...options } = config;
  const isApiUrl = createApiUrlMatcher(apiUrls ?? options.apiOrigins ?? []);
  return makeEnvironmentProviders([
    { provide: WARDEN_API_URLS, useValue: isApiUrl },
    {
      provide: WARDEN_CONFIG,
      useFactory: () =>
        Object.freeze({
          ...config,
          redirectUri: options.redirectUri ?? new URL('/callback', inject(DOCUMENT).baseURI).href,
        }),
    },
    {
      provide: WARDEN_CLIENT,
      useFactory: () => {
        const settled = inject(WARDEN_CONFIG) as WardenTokenConfig & { redirectUri: string };
        const { apiUrls: _apiUrls, mode: _mode, ...clientOptions } = settled;
        return createClient(clientOptions);
      },
    },
    ...common(),
  ]);
}

function provideCookieMode(config: WardenCookieConfig): EnvironmentProviders {
  const { mode: _mode, ...options } = config;
  return makeEnvironmentProviders([
    // Nothing gets a bearer token: in cookie mode the page has none.
    { provide: WARDEN_API_URLS, useValue: () => false },
    { provide: WARDEN_CONFIG, useValue: Object.freeze({ ...config }) },
    { provide: WARDEN_CLIENT, useFactory: () => createBffClient(options) },
    ...common(),
  ]);
}

function common(): (Provider | EnvironmentProviders)[] {
  return [
    { provide: AuthService, useFactory: () => new AuthService() },
    provideAppInitializer(() => {
      void inject(AuthService).start();
    }),
  ];
}
