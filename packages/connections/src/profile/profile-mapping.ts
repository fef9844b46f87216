/** The fields of an upstream profile Warden keeps (OpenID standard claims, and the account id). */
export const PROFILE_FIELDS = Object.freeze([
  'id',
  'email',
  'emailVerified',
  'name',
  'givenName',
  'familyName',
  'nickname',
  'picture',
  'locale',
] as const);

export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * Where each field is in what the upstream sends (its ID token claims and userinfo, or its profile
 * JSON): a dot path (`data.id`, `picture.data.url`), a template of dot paths in braces
 * (`https://cdn.discordapp.com/avatars/{id}/{avatar}.png`), or a list of those, the first that
 * gives a value winning. `null`: the field is not taken from this upstream.
 */
export type ProfileMapping = { readonly [F in ProfileField]?: MappingSource | null };

export type MappingSource = string | readonly string[];

/** The OpenID standard claims, as an OpenID Provider's ID token and userinfo carry them. */
export const OIDC_MAPPING: ProfileMapping = Object.freeze({
  id: 'sub',
  email: 'email',
  emailVerified: 'email_verified',
  name: 'name',
  givenName: 'given_name',
  familyName: 'family_name',
  nickname: Object.freeze(['nickname', 'preferred_username']),
  picture: 'picture',
  locale: 'locale',
});

/** A plain OAuth 2.0 provider's profile JSON: `id` (or `sub`), else the OpenID claim names. */
export const OAUTH2_MAPPING: ProfileMapping = Object.freeze({
  ...OIDC_MAPPING,
  id: Object.freeze(['id', 'sub']),
  nickname: Object.freeze(['nickname', 'preferred_username', 'login', 'username']),
});
