import { DOCUMENT } from '@angular/common';
import {
  type EnvironmentProviders,
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
} from '@angular/core';
import { createClient } from '@warden/browser';
import { createApiUrlMatcher } from './api-url-matcher.js';
import { AuthService } from './auth-service.js';
import { WARDEN_API_URLS, WARDEN_CLIENT, WARDEN_CONFIG, type WardenConfig } from './warden-config.js';

/**
 * Sets Warden up for the app: one `WardenClient` (options checked by `@warden/browser`; a bad
 * one throws `TypeError` naming it), the `AuthService`, the URLs `authInterceptor` may send the
 * token to, and the client's start while the app boots. The start is not awaited, so the first
 * page (the callback's loading message, for one) renders at once; `authGuard` and
 * `authInterceptor` wait for it.
 */
export function provideWarden(config: WardenConfig): EnvironmentProviders {
  if (typeof config !== 'object' || config === null)
    throw new TypeError('provideWarden: config must be an object');
  const { apiUrls, ...options } = config;
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
        const { apiUrls: _apiUrls, ...clientOptions } = inject(WARDEN_CONFIG);
        return createClient(clientOptions);
      },
    },
    { provide: AuthService, useFactory: () => new AuthService() },
    provideAppInitializer(() => {
      void inject(AuthService).start();
    }),
  ]);
}
