import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import type { SsoSession } from './sso-sessions.js';

/**
 * Ends an SSO session: destroys it, revokes the refresh tokens it issued, and publishes a session
 * revocation so APIs refuse its outstanding access tokens. Returns the cookie that clears it.
 */
export async function endSession(ctx: ServerContext, session: SsoSession): Promise<string> {
  const cookie = await ctx.sso.end(session);
  await ctx.storage.refreshTokens.revokeForSession(session.sid, nowSeconds(ctx.config));
  await ctx.revocations.revokeIssuedBefore('session', session.sid);
  ctx.config.logger.info({ sub: session.userId }, 'signed out');
  return cookie;
}

/**
 * Ends every SSO session of the user, revokes all their refresh tokens, and publishes a user
 * revocation so APIs refuse every access token issued to them until now. Returns how many
 * sessions ended. What `warden users revoke` and "log out everywhere" do.
 */
export async function endEverySession(ctx: ServerContext, userId: string): Promise<number> {
  const sessions = await ctx.sso.endAllForUser(userId);
  await ctx.storage.refreshTokens.revokeForUser(userId, nowSeconds(ctx.config));
  await ctx.revocations.revokeIssuedBefore('user', userId);
  ctx.config.logger.info({ sub: userId, sessions }, 'signed out everywhere');
  return sessions;
}
