import { InjectionToken } from '@angular/core';
import type { ClientOptions, WardenClient } from '@warden/browser';

/** What `provideWarden` takes: the browser SDK's options, plus which API URLs get the token over HttpClient. */
export interface WardenConfig extends Omit<ClientOptions, 'redirectUri'> {
  /** The registered callback URL. Default: this origin + `/callback`. */
  redirectUri?: string;
  /**
   * URL prefixes (`https://api.example.com/api/`) or bare origins whose HttpClient requests get
   * `Authorization: Bearer` from `authInterceptor`. Default: `apiOrigins`. Nothing else gets it.
   */
  apiUrls?: readonly string[];
}

/** The configuration `provideWarden` was given, with the `redirectUri` it settled on. */
export const WARDEN_CONFIG = new InjectionToken<Readonly<WardenConfig & { redirectUri: string }>>(
  'WARDEN_CONFIG',
);

/** The one `WardenClient` of the app (from `@warden/browser`), for what the bindings do not wrap. */
export const WARDEN_CLIENT = new InjectionToken<WardenClient>('WARDEN_CLIENT');

/** Decides which request URLs `authInterceptor` may send the access token to. */
export const WARDEN_API_URLS = new InjectionToken<ApiUrlMatcher>('WARDEN_API_URLS');

/** True when `url` (absolute, or relative to `base`) is one of the configured API URLs. */
export type ApiUrlMatcher = (url: string, base: string) => boolean;
