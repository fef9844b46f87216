import { ACCOUNT_CLIENT_ID, accountClient } from '../account/account-client.js';
import { CONSOLE_CLIENT_ID, consoleClient } from '../console/console-client.js';
import type { Client } from '../storage/storage.js';

/** The clients the idp answers from code: its account page and its console. */
export const BUILT_IN_CLIENT_IDS: readonly string[] = Object.freeze([ACCOUNT_CLIENT_ID, CONSOLE_CLIENT_ID]);

/** The built-in client `clientId` names, or undefined when it names none. */
export function builtInClient(issuer: string, clientId: string): Client | undefined {
  if (clientId === ACCOUNT_CLIENT_ID) return accountClient(issuer);
  if (clientId === CONSOLE_CLIENT_ID) return consoleClient(issuer);
  return undefined;
}
