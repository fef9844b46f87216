import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { authInterceptor, provideWarden } from '@warden/angular';
import { administratorInterceptor } from './administrator-access';
import { CONSOLE_CONFIG, type ConsoleConfig, consoleHome } from './console-config';
import { routes } from './routes';

/**
 * The console's providers for the settings from config.json: it signs in as the built-in client
 * (code + PKCE, tokens and the rotating refresh token in memory only) and sends its access token
 * to the management API alone.
 */
export function createAppConfig(config: ConsoleConfig): ApplicationConfig {
  const home = consoleHome(config);
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      provideRouter(
        routes,
        withComponentInputBinding(),
        withInMemoryScrolling({ scrollPositionRestoration: 'top' }),
      ),
      provideHttpClient(withFetch(), withInterceptors([administratorInterceptor, authInterceptor])),
      { provide: CONSOLE_CONFIG, useValue: config },
      provideWarden({
        issuer: config.issuer,
        clientId: config.clientId,
        redirectUri: `${home}callback`,
        postLogoutRedirectUri: home,
        audience: config.audience,
        scope: config.scope,
        apiOrigins: [new URL(config.audience).origin],
        apiUrls: [config.audience],
        cacheLocation: 'memory',
        useRefreshTokens: true,
      }),
    ],
  };
}
