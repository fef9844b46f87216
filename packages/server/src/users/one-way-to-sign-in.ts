import type { User } from '../storage/storage.js';

/**
 * True when the user has at most one way to sign in (a password, an upstream account): taking it
 * away (unlinking that account, deleting that password) would lock them out, so it is refused.
 */
export function hasOneWayToSignIn(user: Pick<User, 'passwordHash'>, identities: readonly unknown[]): boolean {
  return (user.passwordHash === null ? 0 : 1) + identities.length <= 1;
}
