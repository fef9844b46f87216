import type { Preset, TokenEndpointAuthMethod } from '../presets/preset.js';
import { presetFor } from '../presets/presets.js';
import type { ProfileMapping } from '../profile/profile-mapping.js';
import {
  flag,
  readBoolean,
  readChoice,
  readMapping,
  readScopes,
  readText,
  readUrl,
  settingError,
} from './read-setting.js';

export type Strategy = 'oidc' | 'oauth2';

/** A connection's settings as the administrator gave them, checked: what is stored as its options. */
export interface ConnectionSettings {
  clientId: string;
  /** `oidc`: the OpenID Provider; `oauth2`: the issuer RFC 9207 `iss` must name. */
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  profileEndpoint?: string;
  emailsEndpoint?: string;
  scopes?: string[];
  /** `oidc`: also read the userinfo endpoint (its claims over the ID token's). */
  userinfo?: boolean;
  pkce?: boolean;
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  mapping?: ProfileMapping;
  /** The preset's own settings that were given (`tenant`, `teamId`, `keyId`). */
  presetSettings: Record<string, string>;
}

/** The type's strategy and preset, and its settings checked. */
export interface ReadSettings {
  strategy: Strategy;
  preset: Preset | undefined;
  settings: ConnectionSettings;
}

/** Keys the server keeps in a connection's options beside the method's settings. */
const SERVER_KEYS = new Set(['trustEmail', 'storeTokens']);
const COMMON = ['clientId', 'scopes', 'pkce', 'mapping', 'tokenEndpointAuthMethod'];
const BY_STRATEGY: Record<Strategy, string[]> = {
  oidc: ['issuer', 'userinfo'],
  oauth2: ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'profileEndpoint', 'emailsEndpoint'],
};

/** Whether `type` is a strategy or preset this package signs in with. */
export function isKnownType(type: string): boolean {
  return type === 'oidc' || type === 'oauth2' || presetFor(type) !== undefined;
}

/**
 * Checks an administrator's settings for a connection of `type` (`oidc`, `oauth2` or a preset):
 * throws `AdminError` naming the first wrong, missing or unknown setting. Required: `clientId`;
 * `oidc` without a preset: `issuer`; `oauth2` without a preset: the authorization, token and
 * profile endpoints. URLs must be https (see `upstreamUrlProblem`). Scopes of an OpenID connection
 * must hold `openid` (unless the preset's provider does without). It does NOT reach the upstream.
 */
export function readConnectionSettings(
  type: string,
  raw: Record<string, unknown>,
  allowInsecureLocalhost: boolean,
): ReadSettings {
  const preset = presetFor(type);
  const strategy: Strategy | undefined =
    preset?.strategy ?? (type === 'oidc' || type === 'oauth2' ? type : undefined);
  if (!strategy) throw new TypeError(`not a connection type of this method: ${type}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw settingError('settings', 'must be an object');
  }
  const own = Object.keys(preset?.settings ?? {});
  const known = new Set([...COMMON, ...BY_STRATEGY[strategy], ...own]);
  const given = new Map<string, unknown>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || SERVER_KEYS.has(name)) continue;
    if (!known.has(name)) {
      throw settingError(
        name,
        `is not a setting of a ${type} connection (${[...known].map(flag).join(', ')})`,
      );
    }
    given.set(name, value);
  }
  const url = (name: string, options?: { query?: boolean }) =>
    given.has(name) ? readUrl(name, given.get(name), allowInsecureLocalhost, options) : undefined;

  if (!given.has('clientId')) throw settingError('clientId', 'is required (the client id at the provider)');
  const settings: ConnectionSettings = {
    clientId: readText('clientId', given.get('clientId'), 512),
    presetSettings: {},
  };
  const issuer = url('issuer', { query: false });
  if (issuer !== undefined) settings.issuer = issuer;
  for (const name of [
    'authorizationEndpoint',
    'tokenEndpoint',
    'profileEndpoint',
    'emailsEndpoint',
  ] as const) {
    const value = url(name);
    if (value !== undefined) settings[name] = value;
  }
  if (given.has('scopes')) settings.scopes = readScopes('scopes', given.get('scopes'));
  if (given.has('userinfo')) settings.userinfo = readBoolean('userinfo', given.get('userinfo'));
  if (given.has('pkce')) settings.pkce = readBoolean('pkce', given.get('pkce'));
  if (given.has('tokenEndpointAuthMethod')) {
    settings.tokenEndpointAuthMethod = readChoice<TokenEndpointAuthMethod>(
      'tokenEndpointAuthMethod',
      given.get('tokenEndpointAuthMethod'),
      ['client_secret_basic', 'client_secret_post'],
    );
  }
  if (given.has('mapping')) settings.mapping = readMapping('mapping', given.get('mapping'));
  for (const name of own) {
    const spec = preset!.settings![name]!;
    if (!given.has(name)) {
      if (spec.default === undefined) throw settingError(name, `is required: ${spec.description}`);
      continue;
    }
    const value = given.get(name);
    if (typeof value !== 'string' || !spec.pattern.test(value))
      throw settingError(name, `must be ${spec.description}`);
    settings.presetSettings[name] = value;
  }
  checkRequired(strategy, preset, settings);
  return { strategy, preset, settings };
}

/** The settings as stored in the connection's options (the preset's own ones at the top level). */
export function storedSettings({ presetSettings, ...settings }: ConnectionSettings): Record<string, unknown> {
  return { ...settings, ...presetSettings };
}

function checkRequired(strategy: Strategy, preset: Preset | undefined, settings: ConnectionSettings): void {
  const missing = (name: keyof Preset & keyof ConnectionSettings) =>
    settings[name] === undefined && preset?.[name] === undefined;
  if (strategy === 'oidc') {
    if (missing('issuer'))
      throw settingError('issuer', 'is required (the OpenID Provider, e.g. https://login.example.com)');
    const scopes = settings.scopes ?? preset?.scopes;
    if (scopes && preset?.openidScope !== false && !scopes.includes('openid')) {
      throw settingError('scopes', 'must include openid for an OpenID Connect connection');
    }
    return;
  }
  for (const name of ['authorizationEndpoint', 'tokenEndpoint', 'profileEndpoint'] as const) {
    if (missing(name)) throw settingError(name, 'is required for an oauth2 connection');
  }
}
