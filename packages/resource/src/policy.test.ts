import { OAuthError } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { requirePermissions, requirePrincipal, requireRoles, requireScopes } from './policy.js';
import { type Principal, toPrincipal } from './principal.js';

const alice = toPrincipal(
  {
    sub: 'alice',
    client_id: 'dragons-spa',
    scope: 'openid read:dragons write:dragons',
    roles: ['reader', 'admin'],
    permissions: ['read:orders'],
  },
  'bearer',
);

function refusal(run: () => void) {
  try {
    run();
  } catch (error) {
    const { error: code, status, scope } = error as OAuthError;
    return { code, status, scope };
  }
  return undefined;
}

describe('policies', () => {
  it('requireScopes needs every scope and names them in the error', () => {
    expect(refusal(() => requireScopes('read:dragons', 'write:dragons')(alice))).toBeUndefined();
    expect(refusal(() => requireScopes('read:dragons', 'delete:dragons')(alice))).toEqual({
      code: 'insufficient_scope',
      status: 403,
      scope: 'read:dragons delete:dragons',
    });
  });

  it('requireRoles needs every role', () => {
    expect(refusal(() => requireRoles('admin')(alice))).toBeUndefined();
    expect(refusal(() => requireRoles('admin', 'owner')(alice))).toMatchObject({
      code: 'insufficient_scope',
      status: 403,
    });
  });

  it('requirePermissions needs every permission', () => {
    expect(refusal(() => requirePermissions('read:orders')(alice))).toBeUndefined();
    expect(refusal(() => requirePermissions('write:orders')(alice))).toMatchObject({ status: 403 });
  });

  it('requirePrincipal runs a predicate; a throwing one refuses, an OAuthError passes through', () => {
    const isAlice = requirePrincipal((p: Principal) => p.sub === 'alice', 'only alice');
    expect(refusal(() => isAlice(alice))).toBeUndefined();
    expect(refusal(() => requirePrincipal(() => false, 'no one')(alice))).toMatchObject({ status: 403 });
    const broken = requirePrincipal(() => {
      throw new Error('bug');
    }, 'broken');
    expect(refusal(() => broken(alice))).toMatchObject({ code: 'insufficient_scope', status: 403 });
    const custom = requirePrincipal(() => {
      throw new OAuthError('invalid_token', 'too old for this route');
    }, 'custom');
    expect(refusal(() => custom(alice))).toMatchObject({ code: 'invalid_token', status: 401 });
  });

  it('refuses misuse at setup with a TypeError', () => {
    expect(() => requireScopes()).toThrow(TypeError);
    expect(() => requireScopes('two words')).toThrow(TypeError);
    expect(() => requireRoles()).toThrow(TypeError);
    expect(() => requireRoles(42 as never)).toThrow(TypeError);
    expect(() => requirePermissions('')).toThrow(TypeError);
    expect(() => requirePrincipal('x' as never, 'd')).toThrow(TypeError);
    expect(() => requirePrincipal(() => true, '')).toThrow(TypeError);
  });
});

describe('toPrincipal', () => {
  it('reads the RFC 9068 claims', () => {
    expect(alice).toMatchObject({
      sub: 'alice',
      clientId: 'dragons-spa',
      scopes: ['openid', 'read:dragons', 'write:dragons'],
      roles: ['reader', 'admin'],
      permissions: ['read:orders'],
      via: 'bearer',
    });
    expect(Object.isFrozen(alice)).toBe(true);
  });

  it('freezes the principal, its lists and its claims, but not the claims it was given', () => {
    const claims = { sub: 'carol', roles: ['admin'] };
    const p = toPrincipal(claims, 'bearer');
    expect(Object.isFrozen(p.roles) && Object.isFrozen(p.claims) && Object.isFrozen(p.claims.roles)).toBe(
      true,
    );
    claims.roles.push('root');
    expect(p.roles).toEqual(['admin']);
    expect(p.claims).toEqual({ sub: 'carol', roles: ['admin'] });
  });

  it.each([
    ['read:dragons', ['read:dragons']],
    ['', []],
    ['  read  write ', ['read', 'write']],
  ])('reads scope %j as %j', (scope, scopes) => {
    expect(toPrincipal({ sub: 'dave', scope }, 'bearer').scopes).toEqual(scopes);
  });

  it('falls back to azp and scp, and to empty lists', () => {
    const p = toPrincipal({ sub: 'bob', azp: 'legacy-client', scp: ['read'] }, 'bearer');
    expect(p).toMatchObject({ clientId: 'legacy-client', scopes: ['read'], roles: [], permissions: [] });
  });

  it.each([
    [{}],
    [{ sub: '' }],
    [{ sub: 'a', scope: ['read'] }],
    [{ sub: 'a', roles: 'admin' }],
    [{ sub: 'a', permissions: [1] }],
    [{ sub: 'a', client_id: 7 }],
    [{ sub: 'a\u0000' }],
    [{ sub: 'a', jti: 'j\u0000' }],
    [{ sub: 'a', exp: 1_800_000_000.5 }],
    [{ sub: 'a', iat: 1e300 }],
  ])('refuses claims of the wrong type: %j', (claims) => {
    expect(() => toPrincipal(claims, 'bearer')).toThrow(expect.objectContaining({ error: 'invalid_token' }));
  });
});
