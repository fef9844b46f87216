import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import { consoleClient } from './console-client.js';

/**
 * Stores the console's client, so the codes, refresh tokens and consents it gets have a client
 * row to belong to (and go with it). The registry still answers it from code, and the clients
 * administration neither lists nor changes it. Safe on every start, from several processes.
 */
export async function ensureConsoleClient(ctx: ServerContext): Promise<void> {
  const client = consoleClient(ctx.config.issuer);
  if (await ctx.storage.clients.get(client.clientId)) return;
  try {
    await ctx.storage.clients.insert(client);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
}
