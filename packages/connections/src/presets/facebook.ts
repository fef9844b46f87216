import type { Preset } from './preset.js';

/** Facebook Login: OAuth 2.0 with the Graph API's `/me` as the profile. */
export const facebook: Preset = Object.freeze({
  type: 'facebook',
  displayName: 'Facebook',
  strategy: 'oauth2',
  provider: 'facebook',
  authorizationEndpoint: 'https://www.facebook.com/v23.0/dialog/oauth',
  tokenEndpoint: 'https://graph.facebook.com/v23.0/oauth/access_token',
  profileEndpoint: 'https://graph.facebook.com/v23.0/me?fields=id,name,first_name,last_name,email,picture',
  scopes: Object.freeze(['public_profile', 'email']),
  tokenEndpointAuthMethod: 'client_secret_post',
  mapping: Object.freeze({
    id: 'id',
    email: 'email',
    emailVerified: null,
    name: 'name',
    givenName: 'first_name',
    familyName: 'last_name',
    nickname: null,
    picture: 'picture.data.url',
    locale: null,
  }),
});
