import { hasControlCharacter } from '@warden/protocol';
import { nowSeconds } from '../config.js';
import { sealConnectionSecret } from '../connections/connection-secret.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import type { UpstreamMethod, UpstreamSettings } from '../connections/upstream-method.js';
import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Connection } from '../storage/storage.js';
import { AdminError } from './admin-error.js';

export interface AddConnectionInput {
  /** Letters, digits and inner hyphens, at most 128: `/authorize?connection=NAME`. */
  name: string;
  /** A strategy (`oidc`, `oauth2`) or a preset (`google`, `github`…) of the server's upstream methods. */
  type: string;
  /** The login button's label after "Continue with" (default: the preset's or the name). */
  displayName?: string;
  /** The client secret at the upstream; stored sealed, never shown again. */
  clientSecret?: string;
  /** Link a first sign-in to the user with the same verified email (default false). */
  trustEmail?: boolean;
  /** Keep the upstream's tokens, sealed (default false). */
  storeTokens?: boolean;
  /** Clients that offer the connection. */
  enabledClients?: string[];
  /** The strategy's settings: issuer, client id, scopes, endpoints, profile mapping… */
  settings?: UpstreamSettings;
}

/** A connection as administrators see it: everything but the secret, which only shows as set. */
export type ConnectionView = Omit<Connection, 'sealedSecret'> & { hasClientSecret: boolean };

const NAME = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;

export function viewConnection({ sealedSecret, ...connection }: Connection): ConnectionView {
  return { ...connection, hasClientSecret: sealedSecret !== null };
}

/** Creates a connection (see `AddConnectionInput`); the method of its type checks its settings. */
export async function addConnection(ctx: ServerContext, input: AddConnectionInput): Promise<ConnectionView> {
  if (typeof input.name !== 'string' || input.name.length > 128 || !NAME.test(input.name)) {
    throw new AdminError('--name must be letters, digits and single inner hyphens, at most 128');
  }
  const method = methodForType(ctx, input.type);
  const configured = await method.configure(input.type, input.settings ?? {});
  const clientSecret = checkSecret(input.clientSecret);
  if (configured.needsSecret && clientSecret === undefined) {
    throw new AdminError(`--client-secret is required for a ${input.type} connection`);
  }
  const enabledClients = await checkClients(ctx, input.enabledClients ?? []);
  const now = nowSeconds(ctx.config);
  const connection: Connection = {
    name: input.name,
    strategy: configured.strategy,
    preset: configured.preset,
    displayName: checkDisplayName(input.displayName) ?? configured.displayName,
    options: {
      ...configured.options,
      trustEmail: input.trustEmail === true,
      storeTokens: input.storeTokens === true,
    },
    sealedSecret: clientSecret === undefined ? null : sealConnectionSecret(ctx.config, clientSecret),
    enabledClients,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await ctx.storage.connections.insert(connection);
  } catch (error) {
    if (isUniqueViolation(error)) throw AdminError.conflict(`connection ${input.name} already exists`);
    throw error;
  }
  ctx.registry.invalidate();
  return viewConnection(connection);
}

/**
 * Changes a connection: the settings given replace the stored ones (and are checked again by its
 * method), the rest stays. The password database takes only `enabledClients`.
 */
export async function updateConnection(
  ctx: ServerContext,
  name: string,
  changes: Omit<AddConnectionInput, 'name' | 'type'>,
): Promise<ConnectionView> {
  const current = await requireConnection(ctx, name);
  let next: Connection = { ...current, updatedAt: nowSeconds(ctx.config) };
  if (changes.enabledClients !== undefined) {
    next.enabledClients = await checkClients(ctx, changes.enabledClients);
  }
  if (current.strategy === 'database') {
    const { enabledClients: _clients, ...rest } = changes;
    if (Object.values(rest).some((value) => value !== undefined)) {
      throw new AdminError(
        `${DATABASE_CONNECTION} has no settings to change; enable or disable it per client`,
      );
    }
  } else {
    const type = current.preset ?? current.strategy;
    const configured = await methodForType(ctx, type).configure(type, {
      ...current.options,
      ...changes.settings,
    });
    const clientSecret = checkSecret(changes.clientSecret);
    next = {
      ...next,
      displayName: checkDisplayName(changes.displayName) ?? current.displayName,
      options: {
        ...configured.options,
        trustEmail: changes.trustEmail ?? current.options.trustEmail === true,
        storeTokens: changes.storeTokens ?? current.options.storeTokens === true,
      },
      sealedSecret:
        clientSecret === undefined ? current.sealedSecret : sealConnectionSecret(ctx.config, clientSecret),
    };
  }
  await ctx.storage.connections.update(next);
  ctx.registry.invalidate();
  return viewConnection(next);
}

/** Deletes a connection and the identities of its users (the users stay). */
export async function removeConnection(ctx: ServerContext, name: string): Promise<{ name: string }> {
  const connection = await requireConnection(ctx, name);
  if (connection.strategy === 'database') {
    throw new AdminError(`${DATABASE_CONNECTION} cannot be removed; disable it per client instead`);
  }
  await ctx.storage.connections.delete(name);
  ctx.registry.invalidate();
  return { name };
}

/** Offers (`enabled`) or stops offering the connection to a client. */
export async function setConnectionEnabled(
  ctx: ServerContext,
  name: string,
  clientId: string,
  enabled: boolean,
): Promise<ConnectionView> {
  await requireConnection(ctx, name);
  await checkClients(ctx, [clientId]);
  if (enabled) await ctx.storage.connections.enable(name, clientId);
  else await ctx.storage.connections.disable(name, clientId);
  ctx.registry.invalidate();
  return viewConnection(await requireConnection(ctx, name));
}

export async function listConnections(ctx: ServerContext): Promise<ConnectionView[]> {
  return (await ctx.storage.connections.list()).map(viewConnection);
}

export async function getConnection(ctx: ServerContext, name: string): Promise<ConnectionView> {
  return viewConnection(await requireConnection(ctx, name));
}

/** The connection types this server's upstream methods take, for help texts and errors. */
export function connectionTypes(ctx: ServerContext): string[] {
  return ctx.config.upstream.flatMap((method) => [...method.types]);
}

async function requireConnection(ctx: ServerContext, name: string): Promise<Connection> {
  const connection = typeof name === 'string' ? await ctx.storage.connections.get(name) : undefined;
  if (!connection) throw AdminError.notFound(`unknown connection: ${name}`);
  return connection;
}

function methodForType(ctx: ServerContext, type: string): UpstreamMethod {
  const method = ctx.config.upstream.find((candidate) => candidate.types.includes(type));
  if (method) return method;
  const types = connectionTypes(ctx);
  throw new AdminError(
    types.length === 0
      ? 'this server has no upstream sign-in methods: connections cannot be added'
      : `--type must be one of ${types.join(', ')}`,
  );
}

async function checkClients(ctx: ServerContext, clientIds: string[]): Promise<string[]> {
  if (!Array.isArray(clientIds)) throw new AdminError('enabled clients must be a list of client ids');
  for (const clientId of clientIds) {
    if (typeof clientId !== 'string' || !(await ctx.storage.clients.get(clientId))) {
      throw new AdminError(`unknown client: ${String(clientId)}`);
    }
  }
  return [...new Set(clientIds)].sort();
}

function checkSecret(secret: unknown): string | undefined {
  if (secret === undefined) return undefined;
  if (
    typeof secret !== 'string' ||
    secret.length === 0 ||
    secret.length > 2048 ||
    hasControlCharacter(secret)
  ) {
    throw new AdminError('--client-secret must be 1 to 2048 printable characters');
  }
  return secret;
}

function checkDisplayName(name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64 || hasControlCharacter(name)) {
    throw new AdminError('--display-name must be 1 to 64 characters');
  }
  return name.trim();
}
