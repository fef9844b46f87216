import { describe, expect, it } from 'vitest';
import { describeChange, isSecretField, secretFields, withoutSecrets } from './leave-out-secrets.js';

describe('withoutSecrets', () => {
  it('leaves out every field the list names, in any spelling, at any depth', () => {
    const secrets: Record<string, string> = {};
    for (const name of secretFields) secrets[name] = `value of ${name}`;
    const spelled = {
      client_secret: 's1',
      secretHash: 's2',
      sealed_secret: 's3',
      passwordHash: 's4',
      'refresh-token': 's5',
      Access_Token: 's6',
      sealedTokens: 's7',
      privateJwk: { d: 's8' },
      code_verifier: 's9',
    };
    const copy = withoutSecrets({
      keep: 'visible',
      ...secrets,
      ...spelled,
      nested: { list: [{ ...secrets, ...spelled, keep: 1 }], deeper: { password: 'x', keep: true } },
    });
    expect(copy).toEqual({ keep: 'visible', nested: { list: [{ keep: 1 }], deeper: { keep: true } } });
    expect(JSON.stringify(copy)).not.toMatch(/value of|"s\d"/);
  });

  it('keeps fields whose names only contain a secret word', () => {
    for (const name of ['tokenEndpoint', 'token_endpoint_auth_method', 'accessTokenTtl', 'hasClientSecret']) {
      expect(isSecretField(name), name).toBe(false);
    }
    expect(withoutSecrets({ tokenEndpoint: 'https://x/token', hasClientSecret: true })).toEqual({
      tokenEndpoint: 'https://x/token',
      hasClientSecret: true,
    });
  });

  it('stops at a depth instead of copying unchecked', () => {
    let deep: Record<string, unknown> = { password: 'p' };
    for (let level = 0; level < 20; level += 1) deep = { inner: deep };
    expect(JSON.stringify(withoutSecrets(deep))).not.toContain('"p"');
  });
});

describe('describeChange', () => {
  it('keeps only the changed fields of an update, a changed secret by its name only', () => {
    const before = { name: 'A', callbacks: ['https://a/cb'], secretHash: 'h1', createdAt: 1 };
    const after = { name: 'B', callbacks: ['https://a/cb'], secretHash: 'h2', createdAt: 1, logo: 'x' };
    expect(describeChange(before, after)).toEqual({
      changed: ['name', 'secretHash', 'logo'],
      before: { name: 'A' },
      after: { name: 'B', logo: 'x' },
    });
  });

  it('keeps the whole of a created or deleted thing, without its secrets', () => {
    expect(describeChange(null, { name: 'A', client_secret: 's' })).toEqual({
      before: null,
      after: { name: 'A' },
    });
    expect(describeChange({ name: 'A', sealedSecret: 's' }, null)).toEqual({
      before: { name: 'A' },
      after: null,
    });
  });

  it('compares lists and objects by value', () => {
    expect(describeChange({ options: { a: [1, 2] } }, { options: { a: [1, 2] } })).toEqual({
      changed: [],
      before: {},
      after: {},
    });
  });
});
