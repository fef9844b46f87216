import { AdminError, type UpstreamMethod } from '@warden/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuer, startTestServer } from '../../server/test/harness.js';
import { connectionsDefaults, createConnections, PRESETS } from '../src/index.js';
import { type DiscoveryScript, type ScriptedOp, startScriptedOp } from './scripted-op.js';

/** The AdminError `configure` throws for these settings (fails the test when it accepts them). */
async function refusal(
  method: UpstreamMethod,
  type: string,
  settings: Record<string, unknown>,
): Promise<string> {
  const error = await method.configure(type, settings).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AdminError);
  return (error as AdminError).message;
}

const endpoints = {
  authorizationEndpoint: 'https://provider.example/authorize',
  tokenEndpoint: 'https://provider.example/token',
  profileEndpoint: 'https://api.provider.example/me',
};

describe('createConnections options', () => {
  it.each<[Record<string, unknown>, RegExp]>([
    [{ timeout: 0 }, /^timeout must be/],
    [{ timeout: 1.5 }, /^timeout must be/],
    [{ discoveryTtl: -1 }, /^discoveryTtl must be/],
    [{ clock: 1_700_000_000_000 }, /^clock must be a function/],
    [{ fetch: 'https://proxy.example' }, /^fetch must be a function/],
    [{ allowInsecureLocalhost: 'yes' }, /^allowInsecureLocalhost must be a boolean/],
    [{ discoveryTTL: 5 }, /^unknown option "discoveryTTL"/],
  ])('refuses %j with a TypeError naming the option', (options, message) => {
    expect(() => createConnections(options as never)).toThrow(TypeError);
    expect(() => createConnections(options as never)).toThrow(message);
  });

  it('has documented, frozen defaults', () => {
    expect(connectionsDefaults).toEqual({
      timeout: 10_000,
      discoveryTtl: 600_000,
      allowInsecureLocalhost: false,
    });
    expect(Object.isFrozen(connectionsDefaults)).toBe(true);
  });

  it('offers both strategies and every preset, and the callback for GET and POST', () => {
    const method = createConnections();
    expect(method.strategies).toEqual(['oidc', 'oauth2']);
    expect(method.types).toEqual(['oidc', 'oauth2', ...Object.keys(PRESETS)]);
    expect(Object.keys(PRESETS).sort()).toEqual(
      ['apple', 'discord', 'facebook', 'github', 'gitlab', 'google', 'microsoft', 'x'].sort(),
    );
    expect(method.routes.map((route) => `${route.method} ${route.path}`)).toEqual([
      'GET /login/callback',
      'POST /login/callback',
    ]);
    expect(Object.isFrozen(method)).toBe(true);
  });
});

describe('configure: settings refused before anything is stored', () => {
  const method = createConnections();
  const local = createConnections({ allowInsecureLocalhost: true });

  it.each<[string, Record<string, unknown>, string]>([
    ['oidc', {}, '--client-id: is required'],
    ['oidc', { clientId: 'c' }, '--issuer: is required'],
    ['oidc', { clientId: 'c', issuer: 'http://login.example' }, '--issuer: must use https'],
    ['oidc', { clientId: 'c', issuer: 'not a url' }, '--issuer: not a url is not an absolute URL'],
    ['oidc', { clientId: 'c', issuer: 'https://login.example/?tenant=1' }, '--issuer: must not have a query'],
    ['oidc', { clientId: 'c', issuer: 'https://u:p@login.example' }, '--issuer: must not hold a user name'],
    [
      'oidc',
      { clientId: 'c', issuer: 'https://l.example', scopes: ['profile'] },
      '--scope: must include openid',
    ],
    [
      'oidc',
      { clientId: 'c', issuer: 'https://l.example', scopes: 'openid "x"' },
      '--scope: "\\"x\\"" is not a scope',
    ],
    [
      'oidc',
      { clientId: 'c', issuer: 'https://l.example', userinfo: 'yes' },
      '--userinfo: must be true or false',
    ],
    [
      'oidc',
      { clientId: 'c', issuer: 'https://l.example', profileEndpoint: 'https://l.example/me' },
      '--profile-endpoint: is not a setting of a oidc connection',
    ],
    ['oidc', { clientId: '\u0000', issuer: 'https://l.example' }, '--client-id: must be text'],
    ['oauth2', { clientId: 'c' }, '--authorization-endpoint: is required'],
    ['oauth2', { clientId: 'c', ...endpoints, mapping: { id: null } }, '--mapping.id: is required'],
    [
      'oauth2',
      { clientId: 'c', ...endpoints, mapping: { colour: 'colour' } },
      '--mapping: colour is not a profile field',
    ],
    [
      'oauth2',
      { clientId: 'c', ...endpoints, mapping: { id: '{id}' } },
      '--mapping.id: must be a path, not a template',
    ],
    [
      'oauth2',
      { clientId: 'c', ...endpoints, mapping: { picture: 'https://cdn.example/{id' } },
      'is not a template',
    ],
    ['oauth2', { clientId: 'c', ...endpoints, mapping: { name: 'a..b' } }, 'is not a dot path'],
    [
      'github',
      { clientId: 'c', tokenEndpointAuthMethod: 'private_key_jwt' },
      '--token-endpoint-auth-method: must be one of',
    ],
    [
      'github',
      { clientId: 'c', emailsEndpoint: 'http://api.example/emails' },
      '--emails-endpoint: must use https',
    ],
    ['apple', { clientId: 'c', keyId: 'KEY1234567' }, '--team-id: is required: the 10-character Team ID'],
    [
      'apple',
      { clientId: 'c', teamId: 'short', keyId: 'KEY1234567' },
      '--team-id: must be the 10-character Team ID',
    ],
    ['microsoft', { clientId: 'c', tenant: 'x/../y' }, '--tenant: must be common, organizations, consumers'],
  ])('%s %j: %s', async (type, settings, message) => {
    expect(await refusal(method, type, settings)).toContain(message);
  });

  it('allows plain http on localhost only when turned on, and never elsewhere', async () => {
    expect(await refusal(method, 'oidc', { clientId: 'c', issuer: 'http://localhost:9/' })).toContain(
      'plain http is allowed for localhost only when the server allows it',
    );
    expect(await refusal(local, 'oidc', { clientId: 'c', issuer: 'http://login.example' })).toContain(
      '--issuer: must use https',
    );
  });

  it('takes an oauth2 connection as given, and a preset with only its client id', async () => {
    const plain = await method.configure('oauth2', {
      clientId: 'c',
      ...endpoints,
      trustEmail: true,
      storeTokens: false,
    });
    expect(plain).toEqual({
      strategy: 'oauth2',
      preset: null,
      displayName: 'provider.example',
      options: { clientId: 'c', ...endpoints },
      needsSecret: false,
    });
    expect((await method.configure('oauth2', { clientId: 'c', ...endpoints, pkce: false })).needsSecret).toBe(
      true,
    );
    expect(await method.configure('github', { clientId: 'c' })).toEqual({
      strategy: 'oauth2',
      preset: 'github',
      displayName: 'GitHub',
      options: { clientId: 'c' },
      needsSecret: true,
    });
  });
});

describe('configure: the issuer is discovered now', () => {
  let op: ScriptedOp;
  let requested: string[];
  let method: UpstreamMethod;

  beforeEach(async () => {
    op = await startScriptedOp({ clock: Date.now, redirectUri: `${issuer}login/callback` });
    requested = [];
    method = createConnections({
      allowInsecureLocalhost: true,
      timeout: 1000,
      fetch: (input, init) => {
        requested.push(String(input));
        return fetch(input, init);
      },
    });
  });
  afterEach(() => op.stop());

  it('accepts a provider it can discover, through the configured fetch', async () => {
    expect(await method.configure('oidc', { clientId: op.clientId, issuer: op.issuer })).toEqual({
      strategy: 'oidc',
      preset: null,
      displayName: '127.0.0.1',
      options: { clientId: op.clientId, issuer: op.issuer },
      needsSecret: false,
    });
    expect(requested).toEqual([`${op.issuer}/.well-known/openid-configuration`]);
  });

  it.each<[DiscoveryScript, string]>([
    [
      'not-found',
      'has no OpenID discovery document: {issuer}/.well-known/openid-configuration answered HTTP 404',
    ],
    ['not-json', 'has no usable OpenID discovery document at {issuer}/.well-known/openid-configuration'],
    ['other-issuer', 'is not the issuer its discovery document names (https://other.example)'],
    ['http-token-endpoint', 'cannot be used: its token_endpoint must use https'],
    ['hang', 'could not be reached (no answer within 1000 ms)'],
  ])('refuses an issuer whose discovery is %s', async (script, message) => {
    op.discovery = script;
    const text = await refusal(method, 'oidc', { clientId: op.clientId, issuer: op.issuer });
    expect(text).toContain(`--issuer: ${op.issuer} ${message.replaceAll('{issuer}', op.issuer)}`);
  });

  it('refuses an issuer nobody answers at', async () => {
    await op.stop();
    expect(await refusal(method, 'oidc', { clientId: op.clientId, issuer: op.issuer })).toBe(
      `--issuer: ${op.issuer} could not be reached (connection refused): is the URL right and the server up?`,
    );
  });

  it('stores nothing when Admin.addConnection is refused', async () => {
    op.discovery = 'not-found';
    const t = await startTestServer({ upstream: [method] });
    try {
      const error = await t.admin
        .addConnection({ name: 'broken', type: 'oidc', settings: { clientId: 'c', issuer: op.issuer } })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AdminError);
      expect((await t.admin.listConnections()).map((connection) => connection.name)).not.toContain('broken');
    } finally {
      await t.close();
    }
  });
});
