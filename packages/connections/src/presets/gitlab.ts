import type { Preset } from './preset.js';

/** GitLab.com (or a self-managed GitLab with `issuer`): an OpenID Provider. */
export const gitlab: Preset = Object.freeze({
  type: 'gitlab',
  displayName: 'GitLab',
  strategy: 'oidc',
  provider: 'gitlab',
  issuer: 'https://gitlab.com',
  scopes: Object.freeze(['openid', 'profile', 'email']),
});
