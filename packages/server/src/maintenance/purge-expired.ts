import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';

const DAY_MS = 24 * 3600 * 1000;

/**
 * Deletes what can no longer be used: expired authorization codes, pending sign-ins, refresh
 * tokens, revocation entries (no token they cover is still valid) and SSO sessions; audit log
 * entries older than `logRetention` days; and rate-limit counters of windows that have ended.
 * Safe to run from several processes; the idp app runs it every few minutes.
 */
export async function purgeExpired(ctx: ServerContext): Promise<void> {
  const now = nowSeconds(ctx.config);
  await ctx.storage.codes.deleteExpired(now);
  await ctx.storage.interactions.deleteExpired(now);
  await ctx.storage.refreshTokens.deleteExpired(now);
  await ctx.storage.revocations.deleteExpired(now);
  await ctx.config.sessionStore.deleteExpired(ctx.config.clock());
  await ctx.storage.logs.deleteOlderThan(ctx.config.clock() - ctx.config.logRetention * DAY_MS);
  await ctx.storage.rateLimits.deleteBefore(
    ctx.config.clock() - ctx.config.managementRateLimit.window * 1000,
  );
}
