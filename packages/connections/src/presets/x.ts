import type { Preset } from './preset.js';

/**
 * X (Twitter): OAuth 2.0 with PKCE, the profile from `/2/users/me`. It gives no email. Users are
 * `twitter|<id>`, as Auth0 names them.
 */
export const x: Preset = Object.freeze({
  type: 'x',
  displayName: 'X',
  strategy: 'oauth2',
  provider: 'twitter',
  authorizationEndpoint: 'https://x.com/i/oauth2/authorize',
  tokenEndpoint: 'https://api.x.com/2/oauth2/token',
  profileEndpoint: 'https://api.x.com/2/users/me?user.fields=profile_image_url',
  scopes: Object.freeze(['users.read', 'tweet.read']),
  tokenEndpointAuthMethod: 'client_secret_basic',
  loginHintParameter: null,
  mapping: Object.freeze({
    id: 'data.id',
    email: null,
    emailVerified: null,
    name: 'data.name',
    givenName: null,
    familyName: null,
    nickname: 'data.username',
    picture: 'data.profile_image_url',
    locale: null,
  }),
});
