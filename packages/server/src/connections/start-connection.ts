import { OAuthError } from '@warden/protocol';
import { interactionClient, loadInteraction } from '../authorize/interactions.js';
import { readQuery } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import type { Connection } from '../storage/storage.js';
import { checkEnabled } from './complete-upstream-sign-in.js';
import { openConnectionSecret } from './connection-secret.js';
import type { UpstreamMethod } from './upstream-method.js';

/** Where a login button (or `/authorize?connection=NAME`) sends the browser to sign in upstream. */
export const CONNECTION_START_PATH = '/u/login/connection';

/**
 * `GET /u/login/connection?interaction=…&connection=NAME`: hands the pending sign-in to the upstream
 * method of the connection, which sends the browser to the upstream. The connection must be an
 * upstream one enabled for the app (else the error page).
 */
export async function startConnection(ctx: ServerContext, request: Request): Promise<Response> {
  const query = readQuery(request);
  const interaction = await loadInteraction(ctx, query.get('interaction'));
  const client = await interactionClient(ctx, interaction);
  const name = query.get('connection');
  const connection = name === undefined ? undefined : await ctx.registry.connection(name);
  if (!connection || connection.strategy === 'database') {
    throw new OAuthError('invalid_request', 'There is no such way to sign in. Go back and choose another.');
  }
  await checkEnabled(ctx, client, connection);
  return methodFor(ctx, connection).start(ctx, {
    request,
    interaction,
    client,
    connection,
    clientSecret: openConnectionSecret(ctx.config, connection),
  });
}

/** The upstream method that signs in with `connection`'s strategy; 503 when the server has none. */
export function methodFor(ctx: ServerContext, connection: Connection): UpstreamMethod {
  const method = ctx.config.upstream.find((candidate) =>
    (candidate.strategies as readonly string[]).includes(connection.strategy),
  );
  if (!method) {
    throw new OAuthError(
      'temporarily_unavailable',
      `Signing in with ${connection.displayName} is not available on this server.`,
      { status: 503 },
    );
  }
  return method;
}
