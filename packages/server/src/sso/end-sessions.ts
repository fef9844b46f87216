import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import type { SsoSession } from './sso-sessions.js';

/**
 * Ends an SSO session: destroys it, revokes the refresh tokens it issued, and publishes a session
 * revocation so APIs refuse its outstanding access tokens. Returns the cookie that clears it.
 */
export async function endSession(ctx: ServerContext, session: SsoSession): Promise<string> {
  const cookie = await ctx.sso.end(session);
  await revokeWhatSessionIssued(ctx, session.sid);
  ctx.config.logger.info({ sub: session.userId }, 'signed out');
  return cookie;
}

/**
 * Ends the user's session with this public `sid` (an administrator signs one device out), as
 * `endSession` does; false when the user has no such session.
 */
export async function endSessionBySid(ctx: ServerContext, userId: string, sid: string): Promise<boolean> {
  if (!(await ctx.sso.endBySid(userId, sid))) return false;
  await revokeWhatSessionIssued(ctx, sid);
  ctx.config.logger.info({ sub: userId }, 'session ended by an administrator');
  return true;
}

/** Revokes the refresh tokens a session issued and publishes its revocation for APIs. */
async function revokeWhatSessionIssued(ctx: ServerContext, sid: string): Promise<void> {
  await ctx.storage.refreshTokens.revokeForSession(sid, nowSeconds(ctx.config));
  await ctx.revocations.revokeIssuedBefore('session', sid);
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
