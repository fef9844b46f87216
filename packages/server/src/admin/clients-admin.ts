import { generateClientSecret, hashClientSecret } from '../client-secret.js';
import { nowSeconds } from '../config.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import { newId } from '../ids.js';
import { BUILT_IN_CLIENT_IDS } from '../registry/built-in-clients.js';
import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Api, Client, ClientType } from '../storage/storage.js';
import { checkClientType, checkName, checkOrigin, checkUrl } from './admin-checks.js';
import { AdminError } from './admin-error.js';

export interface AddClientInput {
  type: ClientType;
  name: string;
  callbacks?: string[];
  origins?: string[];
  logoutUrls?: string[];
  apis?: string[];
  /**
   * Narrows what `apis` grant (client_credentials): each API grants only those of these scopes it
   * defines. Every scope must be defined by one of the APIs, and every API must define one of
   * them. Without it, each API grants all its scopes.
   */
  scopes?: string[];
  thirdParty?: boolean;
  legacyImplicit?: boolean;
  /** A fixed client_id (demo data, config files); generated when absent. */
  clientId?: string;
  /**
   * Connections the client offers (default: the password database, `Username-Password-Authentication`).
   */
  connections?: string[];
  /**
   * A given secret for a confidential client (config files, a deployment that hands the same
   * secret to the client app): at least 43 URL-safe characters, e.g. 32 random bytes in
   * base64url. Generated (and returned once) when absent. Stored only as a hash.
   */
  secret?: string;
}

/** What `updateClient` may change; what is left out stays. */
export interface ClientChanges {
  name?: string;
  /** Only within public (spa, native) or confidential (web, m2m) types: a secret is not made or dropped. */
  type?: ClientType;
  callbacks?: string[];
  origins?: string[];
  logoutUrls?: string[];
  thirdParty?: boolean;
  legacyImplicit?: boolean;
}

/** A client as administrators see it: everything but the secret's hash. */
export type ClientView = Omit<Client, 'secretHash'>;

const SECRET = /^[A-Za-z0-9._~-]{43,512}$/;

export function viewClient({ secretHash: _hash, ...client }: Client): ClientView {
  return client;
}

function isConfidential(type: ClientType): boolean {
  return type === 'web' || type === 'm2m';
}

/**
 * Creates a client after the checks of `checkClient` and of its APIs, grant scopes, connections
 * and given secret. Returns the generated secret once (never a given one).
 */
export async function addClient(
  ctx: ServerContext,
  input: AddClientInput,
): Promise<{ client_id: string; client_secret?: string }> {
  const type = checkClientType(input.type);
  const confidential = isConfidential(type);
  if (input.secret !== undefined) {
    if (!confidential) throw new AdminError(`a ${type} client is public: it has no secret`);
    if (typeof input.secret !== 'string' || !SECRET.test(input.secret))
      throw new AdminError(
        'a client secret must be 43 to 512 URL-safe characters (e.g. 32 random bytes, base64url)',
      );
  }
  const apis = await requireApis(ctx, input.apis ?? []);
  const clientId = input.clientId ?? newId().slice(0, 32);
  if (BUILT_IN_CLIENT_IDS.includes(clientId))
    throw new AdminError(`client id ${clientId} is reserved for the idp's own pages`);
  const secret = confidential ? (input.secret ?? generateClientSecret()) : undefined;
  const client = checkClient({
    clientId,
    name: input.name,
    type,
    secretHash: secret ? hashClientSecret(secret) : null,
    redirectUris: input.callbacks ?? [],
    allowedOrigins: input.origins ?? [],
    postLogoutRedirectUris: input.logoutUrls ?? [],
    apis: apis.map((api) => api.identifier),
    apiScopes: grantedScopes(apis, input.scopes),
    thirdParty: input.thirdParty ?? false,
    legacyImplicit: input.legacyImplicit ?? false,
    createdAt: nowSeconds(ctx.config),
  });
  const connections = input.connections ?? [DATABASE_CONNECTION];
  for (const name of connections) {
    if (!(await ctx.storage.connections.get(name))) throw new AdminError(`unknown connection: ${name}`);
  }
  if (await ctx.storage.clients.get(clientId)) throw AdminError.conflict(`client ${clientId} already exists`);
  await ctx.storage.transaction(async (storage) => {
    try {
      await storage.clients.insert(client);
    } catch (error) {
      if (isUniqueViolation(error)) throw AdminError.conflict(`client ${clientId} already exists`);
      throw error;
    }
    for (const name of connections) await storage.connections.enable(name, clientId);
  });
  ctx.registry.invalidate();
  if (!secret || input.secret !== undefined) return { client_id: clientId };
  return { client_id: clientId, client_secret: secret };
}

/** Every stored client (not the built-in ones: the account page's, the console's), oldest first, without secret hashes. */
export async function listClients(ctx: ServerContext): Promise<ClientView[]> {
  return (await ctx.storage.clients.list())
    .filter((client) => !BUILT_IN_CLIENT_IDS.includes(client.clientId))
    .map(viewClient);
}

export async function getClient(ctx: ServerContext, clientId: string): Promise<ClientView> {
  return viewClient(await requireClient(ctx, clientId));
}

/** Changes what `changes` gives and checks the client as a whole again (as `addClient` does). */
export async function updateClient(
  ctx: ServerContext,
  clientId: string,
  changes: ClientChanges,
): Promise<ClientView> {
  const current = await requireClient(ctx, clientId);
  const type = changes.type === undefined ? current.type : checkClientType(changes.type);
  if (isConfidential(type) !== isConfidential(current.type)) {
    throw new AdminError(
      `--type: a ${current.type} client cannot become ${type} (one is public, the other has a secret); add a new client`,
    );
  }
  const next = checkClient({
    ...current,
    name: changes.name ?? current.name,
    type,
    redirectUris: changes.callbacks ?? current.redirectUris,
    allowedOrigins: changes.origins ?? current.allowedOrigins,
    postLogoutRedirectUris: changes.logoutUrls ?? current.postLogoutRedirectUris,
    thirdParty: changes.thirdParty ?? current.thirdParty,
    legacyImplicit: changes.legacyImplicit ?? current.legacyImplicit,
  });
  await ctx.storage.clients.update(next);
  ctx.registry.invalidate();
  return viewClient(next);
}

/**
 * Deletes the client with its codes, refresh tokens and consents, and puts it on the revocation
 * feed, so APIs refuse the access tokens it still holds.
 */
export async function removeClient(ctx: ServerContext, clientId: string): Promise<{ client_id: string }> {
  await requireClient(ctx, clientId);
  await ctx.storage.clients.delete(clientId);
  await ctx.revocations.revokeIssuedBefore('client', clientId);
  ctx.registry.invalidate();
  return { client_id: clientId };
}

/**
 * Gives a confidential client a new generated secret (returned once, stored as a hash); the old
 * one stops working at once. Tokens already issued stay valid.
 */
export async function rotateClientSecret(
  ctx: ServerContext,
  clientId: string,
): Promise<{ client: ClientView; client_secret: string }> {
  const current = await requireClient(ctx, clientId);
  if (!isConfidential(current.type))
    throw new AdminError(`a ${current.type} client is public: it has no secret to rotate`);
  const secret = generateClientSecret();
  const next = { ...current, secretHash: hashClientSecret(secret) };
  await ctx.storage.clients.update(next);
  ctx.registry.invalidate();
  return { client: viewClient(next), client_secret: secret };
}

async function requireClient(ctx: ServerContext, clientId: string): Promise<Client> {
  // The built-in clients are the idp's own pages: they are neither shown nor changed here.
  const client =
    typeof clientId === 'string' && !BUILT_IN_CLIENT_IDS.includes(clientId)
      ? await ctx.storage.clients.get(clientId)
      : undefined;
  if (!client) throw AdminError.notFound(`unknown client: ${clientId}`);
  return client;
}

async function requireApis(ctx: ServerContext, identifiers: string[]): Promise<Api[]> {
  const apis: Api[] = [];
  for (const identifier of new Set(identifiers)) {
    const api = await ctx.storage.apis.get(identifier);
    if (!api) throw new AdminError(`unknown API: ${identifier}`);
    apis.push(api);
  }
  return apis;
}

/** What `AddClientInput.scopes` grants per API: `{}` (all scopes) without it. */
function grantedScopes(apis: Api[], scopes: string[] | undefined): Record<string, string[]> {
  if (scopes === undefined) return {};
  if (apis.length === 0) throw new AdminError('--scope narrows what --api grants: give --api');
  for (const scope of scopes) {
    if (!apis.some((api) => api.scopes.includes(scope)))
      throw new AdminError(
        `--scope ${scope} is not a scope of ${apis.map((api) => api.identifier).join(' or ')}`,
      );
  }
  const granted: Record<string, string[]> = {};
  for (const api of apis) {
    const own = [...new Set(scopes.filter((scope) => api.scopes.includes(scope)))];
    if (own.length === 0) throw new AdminError(`--scope names no scope of ${api.identifier}`);
    granted[api.identifier] = own;
  }
  return granted;
}

/**
 * The checks of a whole client: a name, absolute callback and logout URLs without fragments
 * (at least one callback unless m2m), origins as `scheme://host[:port]`. Returns it as stored.
 */
function checkClient(client: Client): Client {
  const redirectUris = listOf(client.redirectUris, '--callback').map((url) => checkUrl(url, '--callback'));
  if (client.type !== 'm2m' && redirectUris.length === 0)
    throw new AdminError('at least one --callback is required');
  return {
    ...client,
    name: checkName(client.name, '--name'),
    redirectUris,
    allowedOrigins: listOf(client.allowedOrigins, '--origin').map(checkOrigin),
    postLogoutRedirectUris: listOf(client.postLogoutRedirectUris, '--logout-url').map((url) =>
      checkUrl(url, '--logout-url'),
    ),
    thirdParty: client.thirdParty === true,
    legacyImplicit: client.legacyImplicit === true,
  };
}

function listOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new AdminError(`${what} must be a list`);
  return value;
}
