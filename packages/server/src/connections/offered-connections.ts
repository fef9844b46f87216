import { OAuthError } from '@warden/protocol';
import type { ServerContext } from '../server-context.js';
import type { Client, Connection } from '../storage/storage.js';
import { DATABASE_CONNECTION } from './database-connection.js';

/** How an app lets its users sign in: with a password, and/or through these upstream connections. */
export interface OfferedConnections {
  password: boolean;
  upstream: Connection[];
}

/** What the app offers now (the registry's view, at most a second old). */
export async function offeredConnections(ctx: ServerContext, client: Client): Promise<OfferedConnections> {
  const connections = await ctx.registry.connectionsFor(client.clientId);
  return {
    password: connections.some((connection) => connection.name === DATABASE_CONNECTION),
    upstream: connections.filter((connection) => connection.strategy !== 'database'),
  };
}

/** Refuses (403, the error page) a password sign-in or sign-up for an app that does not offer it. */
export async function requirePasswordDatabase(ctx: ServerContext, client: Client): Promise<void> {
  if ((await offeredConnections(ctx, client)).password) return;
  throw new OAuthError('access_denied', `Signing in with a password is not enabled for ${client.name}.`, {
    status: 403,
  });
}
