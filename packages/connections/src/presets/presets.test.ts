import { describe, expect, it } from 'vitest';
import { PROFILE_FIELDS } from '../profile/profile-mapping.js';
import { readConnectionSettings } from '../settings/connection-settings.js';
import { readMapping, readScopes } from '../settings/read-setting.js';
import { upstreamUrlProblem } from '../settings/upstream-url.js';
import { upstreamFrom } from '../upstream/resolve-upstream.js';
import { PRESETS } from './presets.js';

/** The settings a preset cannot do without, besides the client id. */
const REQUIRED: Record<string, Record<string, string>> = {
  apple: { teamId: 'TEAM123456', keyId: 'KEY1234567' },
};

describe.each(Object.values(PRESETS))('preset $type', (preset) => {
  const upstream = upstreamFrom(
    readConnectionSettings(preset.type, { clientId: 'client', ...REQUIRED[preset.type] }, false),
    preset.type,
    preset.displayName,
  );

  it('is named, with a display name and a user id prefix', () => {
    expect(PRESETS[preset.type]).toBe(preset);
    expect(preset.displayName).toMatch(/^\S.{0,63}$/);
    expect(preset.provider).toMatch(/^[a-z0-9-]+$/);
    expect(upstream.provider).toBe(preset.provider);
    expect(Object.isFrozen(preset)).toBe(true);
  });

  it('reaches its provider over https only', () => {
    const urls = [
      upstream.issuer,
      upstream.authorizationEndpoint,
      upstream.tokenEndpoint,
      upstream.profileEndpoint,
      upstream.emailsEndpoint,
    ];
    for (const url of urls.filter((value) => value !== undefined))
      expect(upstreamUrlProblem(url, false)).toBeUndefined();
  });

  it('has the endpoints of its strategy', () => {
    if (preset.strategy === 'oidc') {
      expect(upstream.issuer).toBeDefined();
      expect(preset.authorizationEndpoint).toBeUndefined();
    } else {
      expect([
        upstream.authorizationEndpoint,
        upstream.tokenEndpoint,
        upstream.profileEndpoint,
      ]).not.toContain(undefined);
      expect(preset.mapping?.id).toBeTruthy();
    }
  });

  it('asks for scopes (openid for an OpenID Provider, unless it does without)', () => {
    expect(readScopes('scopes', [...preset.scopes])).toEqual(preset.scopes);
    if (preset.strategy === 'oidc' && preset.openidScope !== false) expect(preset.scopes).toContain('openid');
  });

  it('maps only profile fields, with paths and templates that parse', () => {
    const mapping = preset.mapping ?? {};
    for (const field of Object.keys(mapping)) expect(PROFILE_FIELDS).toContain(field);
    const { id: _id, ...rest } = mapping;
    expect(() => readMapping('mapping', rest)).not.toThrow();
  });

  it('takes its endpoints from settings instead (GitHub Enterprise, a self-managed GitLab, tests)', () => {
    const name = preset.strategy === 'oidc' ? 'issuer' : 'tokenEndpoint';
    const overridden = upstreamFrom(
      readConnectionSettings(
        preset.type,
        { clientId: 'client', ...REQUIRED[preset.type], [name]: 'https://self.example/x' },
        false,
      ),
      preset.type,
      preset.displayName,
    );
    expect(overridden[name]).toBe('https://self.example/x');
  });
});

describe('preset details', () => {
  it('names providers as Auth0 does where it has them', () => {
    expect(
      Object.fromEntries(
        Object.values(PRESETS).map((preset) => [preset.type, [preset.displayName, preset.provider]]),
      ),
    ).toEqual({
      google: ['Google', 'google-oauth2'],
      github: ['GitHub', 'github'],
      facebook: ['Facebook', 'facebook'],
      microsoft: ['Microsoft', 'microsoft'],
      apple: ['Apple', 'apple'],
      x: ['X', 'twitter'],
      gitlab: ['GitLab', 'gitlab'],
      discord: ['Discord', 'discord'],
    });
  });

  it("puts Microsoft's tenant in its issuer, common by default", () => {
    const issuer = (settings: Record<string, unknown>) =>
      upstreamFrom(
        readConnectionSettings('microsoft', { clientId: 'c', ...settings }, false),
        'm',
        'Microsoft',
      ).issuer;
    expect(issuer({})).toBe('https://login.microsoftonline.com/common/v2.0');
    expect(issuer({ tenant: 'contoso.onmicrosoft.com' })).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0',
    );
    expect(PRESETS.microsoft!.mapping?.emailVerified).toBeNull();
  });

  it('makes Apple answer by form post and sign its client secret', () => {
    expect(PRESETS.apple).toMatchObject({
      responseMode: 'form_post',
      clientSecret: 'apple-jwt',
      callbackUserParameter: 'user',
    });
  });

  it('passes the login hint as GitHub names it, and not to providers that take none', () => {
    expect(PRESETS.github!.loginHintParameter).toBe('login');
    expect(PRESETS.google!.loginHintParameter).toBeUndefined();
  });
});
