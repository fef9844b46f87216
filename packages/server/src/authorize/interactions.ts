import { OAuthError, randomToken } from '@warden/protocol';
import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import type { Client } from '../storage/storage.js';
import { hashToken } from '../tokens/hash-token.js';
import type { AuthorizationRequest } from './authorization-request.js';

/** A pending sign-in: the accepted authorization request, waiting for login or consent. */
export interface PendingInteraction {
  id: string;
  request: AuthorizationRequest;
  createdAt: number;
  /**
   * Set when the signed-in user links one more upstream account from their account page: the
   * upstream sign-in then adds an identity to this user instead of signing anyone in.
   */
  link?: { userId: string } | undefined;
}

/** Saves the request and returns the id the login and consent pages carry. */
export async function saveInteraction(
  ctx: ServerContext,
  request: AuthorizationRequest,
  link?: PendingInteraction['link'],
): Promise<string> {
  const id = randomToken(24);
  const now = nowSeconds(ctx.config);
  await ctx.storage.interactions.insert({
    idHash: hashToken(id),
    params: { request, createdAt: now, ...(link ? { link } : {}) },
    expiresAt: now + ctx.config.ttl.interaction,
  });
  return id;
}

/** Loads a pending interaction; an unknown or expired id is an `invalid_request` for the error page. */
export async function loadInteraction(
  ctx: ServerContext,
  id: string | undefined,
): Promise<PendingInteraction> {
  const expired = () =>
    new OAuthError(
      'invalid_request',
      'This sign-in request has expired or is unknown. Go back to the application and sign in again.',
    );
  if (!id || id.length > 64) throw expired();
  const row = await ctx.storage.interactions.get(hashToken(id));
  if (!row || row.expiresAt <= nowSeconds(ctx.config)) throw expired();
  const params = row.params as Omit<PendingInteraction, 'id'>;
  return { id, request: params.request, createdAt: params.createdAt, link: params.link };
}

export async function deleteInteraction(ctx: ServerContext, id: string): Promise<void> {
  await ctx.storage.interactions.delete(hashToken(id));
}

/** The client of a pending interaction; the error page when it was deleted meanwhile. */
export async function interactionClient(
  ctx: ServerContext,
  interaction: PendingInteraction,
): Promise<Client> {
  const client = await ctx.registry.client(interaction.request.clientId);
  if (!client) throw new OAuthError('invalid_request', 'the application of this sign-in no longer exists');
  return client;
}
