import type { Preset } from './preset.js';

/** Discord: OAuth 2.0 (with RFC 9207 `iss`), the profile from `/users/@me`, the avatar from its CDN. */
export const discord: Preset = Object.freeze({
  type: 'discord',
  displayName: 'Discord',
  strategy: 'oauth2',
  provider: 'discord',
  issuer: 'https://discord.com',
  authorizationEndpoint: 'https://discord.com/oauth2/authorize',
  tokenEndpoint: 'https://discord.com/api/oauth2/token',
  profileEndpoint: 'https://discord.com/api/users/@me',
  scopes: Object.freeze(['identify', 'email']),
  tokenEndpointAuthMethod: 'client_secret_basic',
  loginHintParameter: null,
  mapping: Object.freeze({
    id: 'id',
    email: 'email',
    emailVerified: 'verified',
    name: Object.freeze(['global_name', 'username']),
    givenName: null,
    familyName: null,
    nickname: 'username',
    picture: 'https://cdn.discordapp.com/avatars/{id}/{avatar}.png',
    locale: 'locale',
  }),
});
