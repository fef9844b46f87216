import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  isDevMode,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withInMemoryScrolling } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { authInterceptor, provideWarden } from '@warden/angular';
import { routes } from './routes';
import { RUNTIME_CONFIG, type RuntimeConfig } from './runtime-config';

/** The app's providers for the settings from /config.json. */
export function createAppConfig(config: RuntimeConfig): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      provideRouter(routes, withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
      provideHttpClient(withFetch(), withInterceptors([authInterceptor])),
      { provide: RUNTIME_CONFIG, useValue: config },
      provideWarden(
        config.mode === 'cookie'
          ? // This app's server signs in (/bff/login) and forwards /api/ with the token it keeps.
            { mode: 'cookie', apiPaths: [config.apiUrl] }
          : {
              issuer: config.issuer,
              clientId: config.clientId,
              redirectUri: `${location.origin}/callback`,
              audience: config.audience,
              scope: config.scope,
              apiOrigins: [new URL(config.apiUrl).origin],
              apiUrls: [config.apiUrl],
              cacheLocation: 'memory',
              useRefreshTokens: true,
            },
      ),
      // The worker caches the app shell only (ngsw-config.json): never tokens, never API answers,
      // and it leaves navigations to /bff/ and /api/ to the server.
      provideServiceWorker('ngsw-worker.js', {
        enabled: !isDevMode(),
        registrationStrategy: 'registerWhenStable:30000',
      }),
    ],
  };
}
