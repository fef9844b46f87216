import { OAuthError } from '@warden/protocol';
import { AdminError, type Connection } from '@warden/server';
import type { Preset, TokenEndpointAuthMethod } from '../presets/preset.js';
import { OAUTH2_MAPPING, OIDC_MAPPING, type ProfileMapping } from '../profile/profile-mapping.js';
import { type ReadSettings, readConnectionSettings, type Strategy } from '../settings/connection-settings.js';

/** Everything a sign-in needs to know about a connection's upstream: its preset and settings merged. */
export interface Upstream {
  /** The connection's name. */
  connection: string;
  /** The provider as users know it, for messages ("Google is not answering…"). */
  displayName: string;
  strategy: Strategy;
  /** Prefix of the user ids of first sign-ins: the preset's, else `oidc|<connection>` / `oauth2|<connection>`. */
  provider: string;
  clientId: string;
  /** `oidc`: the OpenID Provider; `oauth2`: the issuer `iss` must name, when known. */
  issuer: string | undefined;
  authorizationEndpoint: string | undefined;
  tokenEndpoint: string | undefined;
  profileEndpoint: string | undefined;
  emailsEndpoint: string | undefined;
  scopes: readonly string[];
  pkce: boolean;
  userinfo: boolean;
  mapping: ProfileMapping;
  /** Undefined: as the OpenID Provider advertises (Basic when it allows it). */
  tokenEndpointAuthMethod: TokenEndpointAuthMethod | undefined;
  loginHintParameter: string | null;
  responseMode: 'form_post' | undefined;
  profileHeaders: Readonly<Record<string, string>>;
  callbackUserParameter: string | undefined;
  clientSecret: 'static' | 'apple-jwt';
  /** The preset's own settings, defaults filled in. */
  presetSettings: Readonly<Record<string, string>>;
}

/**
 * The upstream of a stored connection, its options checked again as when they were configured. A
 * connection whose options no longer pass (edited in the database, or of a preset this version
 * lacks) is a 503 for the page, never a sign-in with half its settings.
 */
export function resolveUpstream(connection: Connection, allowInsecureLocalhost: boolean): Upstream {
  let read: ReadSettings;
  try {
    read = readConnectionSettings(
      connection.preset ?? connection.strategy,
      connection.options,
      allowInsecureLocalhost,
    );
  } catch (error) {
    if (!(error instanceof AdminError) && !(error instanceof TypeError)) throw error;
    throw new OAuthError(
      'temporarily_unavailable',
      `Signing in with ${connection.displayName} is not available right now: its settings need an administrator's attention.`,
      { status: 503, cause: error },
    );
  }
  return upstreamFrom(read, connection.name, connection.displayName);
}

/** Merges a connection's checked settings over its preset's data. */
export function upstreamFrom(read: ReadSettings, connection: string, displayName: string): Upstream {
  const { strategy, preset, settings } = read;
  const presetSettings = { ...defaults(preset), ...settings.presetSettings };
  return {
    connection,
    displayName,
    strategy,
    provider: preset?.provider ?? strategy,
    clientId: settings.clientId,
    issuer: settings.issuer ?? fill(preset?.issuer, presetSettings),
    authorizationEndpoint: settings.authorizationEndpoint ?? preset?.authorizationEndpoint,
    tokenEndpoint: settings.tokenEndpoint ?? preset?.tokenEndpoint,
    profileEndpoint: settings.profileEndpoint ?? preset?.profileEndpoint,
    emailsEndpoint: settings.emailsEndpoint ?? preset?.emailsEndpoint,
    scopes: settings.scopes ?? preset?.scopes ?? (strategy === 'oidc' ? ['openid', 'profile', 'email'] : []),
    pkce: settings.pkce ?? preset?.pkce ?? true,
    userinfo: strategy === 'oidc' && settings.userinfo === true,
    mapping: {
      ...(strategy === 'oidc' ? OIDC_MAPPING : OAUTH2_MAPPING),
      ...preset?.mapping,
      ...settings.mapping,
    },
    tokenEndpointAuthMethod: settings.tokenEndpointAuthMethod ?? preset?.tokenEndpointAuthMethod,
    loginHintParameter: preset?.loginHintParameter === undefined ? 'login_hint' : preset.loginHintParameter,
    responseMode: preset?.responseMode,
    profileHeaders: preset?.profileHeaders ?? {},
    callbackUserParameter: preset?.callbackUserParameter,
    clientSecret: preset?.clientSecret ?? 'static',
    presetSettings,
  };
}

function defaults(preset: Preset | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries(preset?.settings ?? {})) {
    if (spec.default !== undefined) values[name] = spec.default;
  }
  return values;
}

/** A preset's URL with its `{setting}` placeholders filled (the values passed their patterns). */
function fill(template: string | undefined, values: Record<string, string>): string | undefined {
  return template?.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
