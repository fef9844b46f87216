import type { Preset } from './preset.js';

/**
 * Microsoft Entra ID (v2 endpoint): work, school and personal Microsoft accounts. `tenant` picks
 * who may sign in: `common` (any), `organizations`, `consumers`, or one directory by id or domain.
 * For the multi-tenant values the ID token's issuer names the user's own tenant (its `tid`), which
 * openid-client checks. Entra's `email` claim is not verified (a directory admin can set any
 * address), so it never counts as verified here.
 */
export const microsoft: Preset = Object.freeze({
  type: 'microsoft',
  displayName: 'Microsoft',
  strategy: 'oidc',
  provider: 'microsoft',
  issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
  scopes: Object.freeze(['openid', 'profile', 'email']),
  mapping: Object.freeze({ emailVerified: null, nickname: 'preferred_username' }),
  settings: Object.freeze({
    tenant: Object.freeze({
      description: 'common, organizations, consumers, a directory id or a domain',
      pattern: /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/,
      default: 'common',
    }),
  }),
});
