import type { Preset } from './preset.js';

/** Google: an OpenID Provider. Console: Google Auth Platform → Clients → Web application. */
export const google: Preset = Object.freeze({
  type: 'google',
  displayName: 'Google',
  strategy: 'oidc',
  provider: 'google-oauth2',
  issuer: 'https://accounts.google.com',
  scopes: Object.freeze(['openid', 'profile', 'email']),
});
