import { OAuthError } from '@warden/protocol';
import { createSealer } from '@warden/protocol/node';
import type { ServerConfig } from '../config.js';
import type { Connection } from '../storage/storage.js';

const PURPOSE = 'connection secret';

/**
 * Seals an upstream client secret for storage, with a key derived from the server's `secret`:
 * the database alone does not give it away. (Changing the server's secret makes stored connection
 * secrets unreadable; they are then set again.)
 */
export function sealConnectionSecret(config: Pick<ServerConfig, 'secret'>, secret: string): string {
  return createSealer(config.secret, PURPOSE).seal(secret);
}

/**
 * The connection's upstream client secret, or undefined when it has none. A sealed secret this
 * server cannot open (its `secret` changed) is a clear 503 for the page, never a sign-in attempt
 * with a wrong secret.
 */
export function openConnectionSecret(
  config: Pick<ServerConfig, 'secret'>,
  connection: Connection,
): string | undefined {
  if (connection.sealedSecret === null) return undefined;
  const secret = createSealer(config.secret, PURPOSE).open(connection.sealedSecret);
  if (typeof secret !== 'string') {
    throw new OAuthError(
      'temporarily_unavailable',
      `Signing in with ${connection.displayName} is not available right now: its client secret cannot be read (set it again with "warden connections update").`,
      { status: 503 },
    );
  }
  return secret;
}
