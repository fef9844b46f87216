import type { Preset } from './preset.js';

/**
 * Sign in with Apple: an OpenID Provider with three quirks. Its client secret is an ES256 JWT signed
 * with a `.p8` key (give the key as the client secret, with `teamId` and `keyId`; a JWT is made from
 * it for each token request). Asked for the name or email it answers with a POST
 * (`response_mode=form_post`). And it sends the user's name once, on the first sign-in, as JSON in
 * the callback's `user` parameter, never in the ID token.
 */
export const apple: Preset = Object.freeze({
  type: 'apple',
  displayName: 'Apple',
  strategy: 'oidc',
  provider: 'apple',
  issuer: 'https://appleid.apple.com',
  scopes: Object.freeze(['name', 'email']),
  openidScope: false,
  responseMode: 'form_post',
  tokenEndpointAuthMethod: 'client_secret_post',
  loginHintParameter: null,
  callbackUserParameter: 'user',
  clientSecret: 'apple-jwt',
  mapping: Object.freeze({
    name: '{user.name.firstName} {user.name.lastName}',
    givenName: 'user.name.firstName',
    familyName: 'user.name.lastName',
    nickname: null,
    picture: null,
    locale: null,
  }),
  settings: Object.freeze({
    teamId: Object.freeze({ description: 'the 10-character Team ID', pattern: /^[A-Z0-9]{10}$/ }),
    keyId: Object.freeze({
      description: 'the 10-character Key ID of the .p8 key',
      pattern: /^[A-Z0-9]{10}$/,
    }),
  }),
});
