import type { Principal } from '@warden/resource';
import { RateLimit, type ServerContext } from '@warden/server';
import type { Context } from 'hono';
import { ManagementError } from './management-error.js';

/** Counts a request of a verified caller; throws the 429 when it is over the budget. */
export type RequestLimiter = (principal: Principal, c: Context) => Promise<void>;

/**
 * The management API's rate limit (`ctx.config.managementRateLimit`, counted in the database so
 * every idp process shares it, on the server's clock): per M2M client (`mgmt:<client_id>`), or per
 * administrator through the console (`mgmt:<client_id>:<user_id>`). Within the budget, it sets
 * Auth0's `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (epoch seconds) on
 * the answer; over it, it throws a 429 with `Retry-After` and the same headers.
 */
export function managementRateLimit(ctx: ServerContext): RequestLimiter {
  const rateLimit = new RateLimit(ctx.storage, ctx.config.managementRateLimit, ctx.config.clock);
  const { limit, window } = rateLimit.settings;
  return async (principal, c) => {
    const caller =
      principal.sub === principal.clientId ? principal.clientId : `${principal.clientId}:${principal.sub}`;
    const decision = await rateLimit.hit(`mgmt:${caller}`);
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(decision.remaining),
      'x-ratelimit-reset': String(decision.reset),
    };
    if (!decision.allowed) {
      throw new ManagementError(
        429,
        'too_many_requests',
        `Too many requests: this caller may make ${limit} per ${window} s. Retry after ${decision.retryAfter} s`,
        { ...headers, 'retry-after': String(decision.retryAfter) },
      );
    }
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
