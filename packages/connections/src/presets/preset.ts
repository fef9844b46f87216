import type { ProfileMapping } from '../profile/profile-mapping.js';

export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** A setting of its own a preset takes (Microsoft's `tenant`, Apple's `teamId`…). */
export interface PresetSetting {
  /** What the administrator gives, for error messages ("a Team ID of 10 letters and digits"). */
  readonly description: string;
  readonly pattern: RegExp;
  /** Used when the administrator gives none; without it the setting is required. */
  readonly default?: string;
}

/**
 * A well-known provider as data over the `oidc` or `oauth2` strategy: its endpoints, scopes and
 * profile mapping. The administrator supplies the client id and secret; every endpoint (and the
 * issuer) can be overridden by a setting of the same name (GitHub Enterprise, GitLab self-managed).
 */
export interface Preset {
  /** The connection type an administrator asks for (`--type google`). */
  readonly type: string;
  /** The login button's default label, after "Continue with". */
  readonly displayName: string;
  readonly strategy: 'oidc' | 'oauth2';
  /**
   * Prefix of the user ids of its first sign-ins: `github` makes `github|12345`. The names Auth0
   * gives its social connections, so users moved from there keep their ids.
   */
  readonly provider: string;
  /**
   * `oidc`: the OpenID Provider's issuer, discovered from it. `oauth2`: the authorization server's
   * issuer when it sends RFC 9207 `iss` with its answers (checked then). `{setting}` is filled from
   * the preset's settings (`https://login.microsoftonline.com/{tenant}/v2.0`).
   */
  readonly issuer?: string;
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint?: string;
  /** `oauth2`: where the profile JSON is read with the access token (GET). */
  readonly profileEndpoint?: string;
  /** `oauth2`: a GitHub-style list of `{ email, primary, verified }`; the primary verified one is taken. */
  readonly emailsEndpoint?: string;
  readonly scopes: readonly string[];
  /** Over the strategy's own mapping (the OpenID claim names), field by field. */
  readonly mapping?: ProfileMapping;
  /** PKCE (S256) on the authorization request; default true. */
  readonly pkce?: boolean;
  /** How the client secret is sent; default: what discovery advertises (`oidc`), else Basic. */
  readonly tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** The authorization parameter that carries the app's `login_hint`; null: none. Default `login_hint`. */
  readonly loginHintParameter?: string | null;
  /** How the upstream answers the browser; `form_post` makes it POST to the callback. */
  readonly responseMode?: 'form_post';
  /** False when the provider issues its ID token without being asked for the `openid` scope. */
  readonly openidScope?: boolean;
  /** Headers the profile and emails endpoints want (GitHub's media type). */
  readonly profileHeaders?: Readonly<Record<string, string>>;
  /**
   * A callback parameter holding JSON about the user, sent on the first sign-in only (Apple's
   * `user`, with the name it never puts in the ID token); read into the profile under its name.
   */
  readonly callbackUserParameter?: string;
  /** `apple-jwt`: the client secret given is a `.p8` key; each token request gets a fresh ES256 JWT made with it. */
  readonly clientSecret?: 'apple-jwt';
  /** Settings of its own, beside the strategy's. */
  readonly settings?: Readonly<Record<string, PresetSetting>>;
}
