import { InjectionToken } from '@angular/core';
import type { BffClientOptions, ClientOptions, WardenClient } from '@warden/browser';

/**
 * Token mode (the default): the page signs in with authorization code + PKCE and holds the
 * tokens. The browser SDK's options, plus which API URLs get the token over HttpClient.
 */
export interface WardenTokenConfig extends Omit<ClientOptions, 'redirectUri'> {
  mode?: 'token';
  /** The registered callback URL. Default: this origin + `/callback`. */
  redirectUri?: string;
  /**
   * URL prefixes (`https://api.example.com/api/`) or bare origins whose HttpClient requests get
   * `Authorization: Bearer` from `authInterceptor`. Default: `apiOrigins`. Nothing else gets it.
   */
  apiUrls?: readonly string[];
}

/**
 * Cookie mode: the app's own server runs `@warden/bff`, and the page holds no token, only the
 * HttpOnly session cookie. The options of `createBffClient` (`basePath`, `apiPaths`).
 */
export interface WardenCookieConfig extends BffClientOptions {
  mode: 'cookie';
  /** Token mode only: in cookie mode the app's server takes the callback (`/bff/callback`). */
  redirectUri?: never;
}

/** What `provideWarden` takes. */
export type WardenConfig = WardenTokenConfig | WardenCookieConfig;

/** The configuration `provideWarden` was given, with the `redirectUri` it settled on in token mode. */
export const WARDEN_CONFIG = new InjectionToken<
  Readonly<(WardenTokenConfig & { redirectUri: string }) | WardenCookieConfig>
>('WARDEN_CONFIG');

/**
 * The one client of the app (from `@warden/browser`), for what the bindings do not wrap: a
 * `WardenClient` in token mode, a `BffClient` (`mode: 'cookie'`) in cookie mode.
 */
export const WARDEN_CLIENT = new InjectionToken<WardenClient>('WARDEN_CLIENT');

/** Decides which request URLs `authInterceptor` may send the access token to (none in cookie mode). */
export const WARDEN_API_URLS = new InjectionToken<ApiUrlMatcher>('WARDEN_API_URLS');

/** True when `url` (absolute, or relative to `base`) is one of the configured API URLs. */
export type ApiUrlMatcher = (url: string, base: string) => boolean;
