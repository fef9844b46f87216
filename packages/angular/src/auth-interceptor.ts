import { DOCUMENT } from '@angular/common';
import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { from, switchMap } from 'rxjs';
import { AuthService } from './auth-service.js';
import { WARDEN_API_URLS } from './warden-config.js';

/**
 * Adds `Authorization: Bearer <access token>` to HttpClient requests for the configured
 * `apiUrls` (default: `apiOrigins`), and to nothing else: other origins, the idp and this app's
 * own files never see the token. A request that already has an `Authorization` header is left
 * as it is. When no user is signed in, an API request fails with `OAuthError('login_required')`
 * without being sent. Register it with `provideHttpClient(withInterceptors([authInterceptor]))`.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const isApiUrl = inject(WARDEN_API_URLS);
  const base = inject(DOCUMENT).baseURI;
  if (request.headers.has('authorization') || !isApiUrl(request.url, base)) return next(request);
  const auth = inject(AuthService);
  return from(auth.getAccessToken()).pipe(
    switchMap((token) => next(request.clone({ setHeaders: { authorization: `Bearer ${token}` } }))),
  );
};
