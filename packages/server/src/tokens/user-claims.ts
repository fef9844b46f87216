import type { User } from '../storage/storage.js';

/**
 * The OIDC standard claims (Core §5.4) a user's profile yields for the granted scopes: `profile`
 * gives name, given_name, family_name, nickname, picture, locale, preferred_username and
 * updated_at; `email` gives email and email_verified. Claims the user has no value for are left
 * out.
 */
export function claimsForScopes(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes('profile')) {
    if (user.name) claims.name = user.name;
    if (user.givenName) claims.given_name = user.givenName;
    if (user.familyName) claims.family_name = user.familyName;
    const nickname = user.nickname ?? user.username ?? user.email?.split('@')[0];
    if (nickname) claims.nickname = nickname;
    if (user.username) claims.preferred_username = user.username;
    if (user.picture) claims.picture = user.picture;
    if (user.locale) claims.locale = user.locale;
    claims.updated_at = user.updatedAt;
  }
  if (scopes.includes('email') && user.email !== null) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}
