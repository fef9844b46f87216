import type { Preset } from './preset.js';

/**
 * GitHub (an OAuth app or a GitHub App): OAuth 2.0 without OpenID. The profile is `/user`; the
 * email comes from `/user/emails`, the primary verified one (`/user`'s own is only the public one).
 * GitHub Enterprise Server: override the endpoints (`https://HOST/login/oauth/…`, `https://HOST/api/v3/user`…).
 */
export const github: Preset = Object.freeze({
  type: 'github',
  displayName: 'GitHub',
  strategy: 'oauth2',
  provider: 'github',
  authorizationEndpoint: 'https://github.com/login/oauth/authorize',
  tokenEndpoint: 'https://github.com/login/oauth/access_token',
  profileEndpoint: 'https://api.github.com/user',
  emailsEndpoint: 'https://api.github.com/user/emails',
  scopes: Object.freeze(['read:user', 'user:email']),
  tokenEndpointAuthMethod: 'client_secret_post',
  loginHintParameter: 'login',
  profileHeaders: Object.freeze({ accept: 'application/vnd.github+json' }),
  mapping: Object.freeze({
    id: 'id',
    email: 'email',
    emailVerified: null,
    name: 'name',
    givenName: null,
    familyName: null,
    nickname: 'login',
    picture: 'avatar_url',
    locale: null,
  }),
});
