import { OAuthError } from '@warden/protocol';
import type { Principal } from './principal.js';

/**
 * A rule a verified principal must meet for one route. Throws `OAuthError('insufficient_scope')`
 * (403) when it is not met; returns nothing when it is.
 */
export type Policy = (principal: Principal) => void;

/** `scope-token` (RFC 6749 §3.3): printable ASCII without space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Requires every one of `scopes` in the token's `scope`. The 403 names them in the challenge's
 * `scope` attribute (RFC 6750 §3). Throws `TypeError` for no scopes or a malformed one.
 */
export function requireScopes(...scopes: string[]): Policy {
  checkNames('requireScopes', scopes, SCOPE_TOKEN);
  const scope = scopes.join(' ');
  return (principal) => {
    if (!scopes.every((s) => principal.scopes.includes(s))) {
      throw new OAuthError('insufficient_scope', `the token needs the scope ${quoteList(scopes)}`, { scope });
    }
  };
}

/**
 * Requires every one of `roles` in the token's `roles` claim (e.g. `requireRoles('admin')`).
 * Decided from the token alone, without a database call. Throws `TypeError` for no roles.
 */
export function requireRoles(...roles: string[]): Policy {
  checkNames('requireRoles', roles);
  return (principal) => {
    if (!roles.every((r) => principal.roles.includes(r))) {
      throw new OAuthError('insufficient_scope', `the caller needs the role ${quoteList(roles)}`);
    }
  };
}

/** Requires every one of `permissions` in the token's `permissions` claim. Throws `TypeError` for none. */
export function requirePermissions(...permissions: string[]): Policy {
  checkNames('requirePermissions', permissions);
  return (principal) => {
    if (!permissions.every((p) => principal.permissions.includes(p))) {
      throw new OAuthError('insufficient_scope', `the caller needs the permission ${quoteList(permissions)}`);
    }
  };
}

/**
 * Requires `predicate(principal)` to return true; `description` is what the 403 says (it is sent
 * to the caller, so keep secrets out of it). A predicate that throws an `OAuthError` answers with
 * it; one that throws anything else counts as false.
 */
export function requirePrincipal(predicate: (principal: Principal) => boolean, description: string): Policy {
  if (typeof predicate !== 'function') throw new TypeError('requirePrincipal: predicate must be a function');
  if (typeof description !== 'string' || description === '') {
    throw new TypeError('requirePrincipal: description must be a non-empty string');
  }
  return (principal) => {
    let allowed = false;
    try {
      allowed = predicate(principal) === true;
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      allowed = false;
    }
    if (!allowed) throw new OAuthError('insufficient_scope', description);
  };
}

/** Runs every policy in order; the first one that is not met throws. */
export function checkPolicies(principal: Principal, policies: readonly Policy[]): void {
  for (const policy of policies) policy(principal);
}

/** Throws `TypeError` unless every policy is a function (adapters call it once, at setup). */
export function checkPolicyList(where: string, policies: readonly unknown[]): readonly Policy[] {
  for (const policy of policies) {
    if (typeof policy !== 'function') {
      throw new TypeError(`${where}: policies must be functions such as requireScopes('read')`);
    }
  }
  return Object.freeze([...(policies as Policy[])]);
}

function checkNames(where: string, names: unknown[], pattern = /^.+$/s): void {
  if (names.length === 0) throw new TypeError(`${where}: name at least one`);
  for (const name of names) {
    if (typeof name !== 'string' || !pattern.test(name)) {
      throw new TypeError(`${where}: ${JSON.stringify(name)} is not a valid name`);
    }
  }
}

function quoteList(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}
