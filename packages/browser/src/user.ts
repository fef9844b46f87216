import type { IdTokenClaims } from './token-set.js';

/** The signed-in user's OpenID Connect profile (standard claims, OIDC Core 5.1). */
export interface User {
  sub: string;
  name?: string;
  nickname?: string;
  preferred_username?: string;
  picture?: string;
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
  [claim: string]: unknown;
}

/** Claims about the token rather than the user. */
const PROTOCOL_CLAIMS: ReadonlySet<string> = new Set([
  'iss',
  'aud',
  'exp',
  'iat',
  'nbf',
  'jti',
  'nonce',
  'azp',
  'at_hash',
  'c_hash',
  'auth_time',
  'sid',
  'acr',
  'amr',
]);

/** The profile in an id_token's claims: every claim but the protocol ones (iss, aud, exp, nonce, ...). */
export function toUser(claims: IdTokenClaims): User {
  const user: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) if (!PROTOCOL_CLAIMS.has(name)) user[name] = value;
  return Object.freeze(user) as User;
}
