import { Location } from '@angular/common';
import { inject } from '@angular/core';
import type { CanActivateChildFn, CanActivateFn } from '@angular/router';
import { AuthService } from './auth-service.js';

/**
 * Lets signed-in users through. A signed-out user is sent to the idp's sign-in, and after the
 * callback back to the URL they asked for. Waits for the start (restore or callback) to settle
 * first, so a reload of a guarded page does not bounce a signed-in user to the idp. It does NOT
 * check roles or scopes: the API decides what the token may do.
 */
export const authGuard: CanActivateFn & CanActivateChildFn = async (_route, state) => {
  const auth = inject(AuthService);
  const location = inject(Location);
  const { isAuthenticated } = await auth.whenReady();
  if (isAuthenticated) return true;
  await auth.login({ returnTo: location.prepareExternalUrl(state.url) });
  return false;
};
