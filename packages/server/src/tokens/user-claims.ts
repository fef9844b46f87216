import type { User } from '../storage/storage.js';

/**
 * The OIDC standard claims (Core §5.4) a user's profile yields for the granted scopes: `profile`
 * gives name, nickname, picture, preferred_username and updated_at; `email` gives email and
 * email_verified. Claims the user has no value for are left out.
 */
export function claimsForScopes(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes('profile')) {
    if (user.name) claims.name = user.name;
    claims.nickname = user.nickname ?? user.username ?? user.email.split('@')[0];
    if (user.username) claims.preferred_username = user.username;
    if (user.picture) claims.picture = user.picture;
    claims.updated_at = user.updatedAt;
  }
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}
