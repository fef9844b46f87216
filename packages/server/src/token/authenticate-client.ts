import { OAuthError } from '@warden/protocol';
import { verifyClientSecret } from '../client-secret.js';
import { checkParameterText, type Params } from '../http/read-params.js';
import type { Client } from '../storage/storage.js';

export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

export interface AuthenticatedClient {
  client: Client;
  method: ClientAuthMethod;
}

const invalidClient = (description: string) => new OAuthError('invalid_client', description, { status: 401 });

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses `Authorization: Basic` as RFC 6749 §2.3.1 defines it: base64 of the form-urlencoded
 * client_id and client_secret joined by a colon. Undefined when the header is not Basic. Bytes that
 * are not UTF-8 and broken percent-encoding are `invalid_client` (malformed credentials); a
 * control character in either part is an `invalid_request`, as in any other parameter
 * (`checkParameterText`).
 */
export function readBasicCredentials(
  header: string | null,
): { clientId: string; secret: string } | undefined {
  if (header === null) return undefined;
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!match?.[1]) {
    if (/^Basic\b/i.test(header)) throw invalidClient('malformed Basic credentials');
    return undefined;
  }
  let clientId: string;
  let secret: string;
  try {
    const decoded = utf8.decode(Buffer.from(match[1], 'base64'));
    const colon = decoded.indexOf(':');
    if (colon < 1) throw invalidClient('malformed Basic credentials');
    clientId = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
    secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
  } catch {
    throw invalidClient('malformed Basic credentials');
  }
  checkParameterText('client_id', clientId);
  checkParameterText('client_secret', secret);
  return { clientId, secret };
}

/**
 * Authenticates the client of a token, revocation or introspection request with exactly one
 * method: `client_secret_basic`, `client_secret_post`, or `none` (public clients, which then rely
 * on PKCE). A confidential client must present its secret; a public client must not have one.
 */
export async function authenticateClient(
  request: Request,
  params: Params,
  clients: { client(clientId: string): Promise<Client | undefined> },
): Promise<AuthenticatedClient> {
  const basic = readBasicCredentials(request.headers.get('authorization'));
  const postSecret = params.get('client_secret');
  const bodyClientId = params.get('client_id');
  if (basic && postSecret !== undefined) {
    throw new OAuthError('invalid_request', 'use one client authentication method, not two');
  }
  if (basic && bodyClientId !== undefined && bodyClientId !== basic.clientId) {
    throw invalidClient('client_id does not match the Basic credentials');
  }
  const clientId = basic?.clientId ?? bodyClientId;
  if (clientId === undefined) throw invalidClient('client authentication is required');
  const client = await clients.client(clientId);
  if (!client) throw invalidClient('unknown client or wrong credentials');
  const secret = basic?.secret ?? postSecret;
  if (client.secretHash === null) {
    if (secret !== undefined) throw invalidClient('this public client has no secret');
    return { client, method: 'none' };
  }
  if (secret === undefined) throw invalidClient('this client must authenticate with its secret');
  if (!verifyClientSecret(client.secretHash, secret))
    throw invalidClient('unknown client or wrong credentials');
  return { client, method: basic ? 'client_secret_basic' : 'client_secret_post' };
}
