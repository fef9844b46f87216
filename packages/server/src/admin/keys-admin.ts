import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import type { SigningKey } from '../storage/storage.js';
import { AdminError } from './admin-error.js';

/** A signing key as administrators see it: never its private part. */
export type KeyView = Omit<SigningKey, 'privateJwk'>;

/** One signing key by its `kid`, private part removed. */
export async function getKey(ctx: ServerContext, kid: string): Promise<KeyView> {
  const key = (await ctx.keys.list()).find((candidate) => candidate.kid === kid);
  if (!key) throw AdminError.notFound(`unknown signing key: ${kid}`);
  return key;
}

/**
 * Revokes one signing key that no longer signs (retired) or does not sign yet (next): it leaves the
 * JWKS, and its kid goes on the revocation feed, so APIs refuse the tokens it signed at once. A
 * revoked next key is replaced by a new one. The current key is refused: rotate first (or revoke
 * every key). Revoking a revoked key again changes nothing.
 */
export async function revokeKey(ctx: ServerContext, kid: string): Promise<KeyView> {
  const key = await getKey(ctx, kid);
  if (key.status === 'revoked') return key;
  if (key.status === 'current') {
    throw new AdminError(
      `signing key ${kid} is the current ${key.alg} key: rotate the keys first, then revoke it`,
    );
  }
  await ctx.storage.keys.setStatus(kid, 'revoked', nowSeconds(ctx.config));
  await ctx.revocations.revokeIssuedBefore('key', kid);
  ctx.keys.invalidate();
  if (key.status === 'next') await ctx.keys.ensure([key.alg]);
  return getKey(ctx, kid);
}
