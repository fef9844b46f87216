import { hasControlCharacter } from '@warden/protocol';
import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Api, EncryptionSettings, SigningAlg } from '../storage/storage.js';
import {
  checkAccessTokenTtl,
  checkEncryptionKey,
  checkName,
  checkScope,
  checkSigningAlg,
  checkUrl,
} from './admin-checks.js';
import { AdminError } from './admin-error.js';

export interface AddApiInput {
  identifier: string;
  name?: string;
  alg?: SigningAlg;
  rbac?: boolean;
  /** Whether first-party clients skip the consent screen for this API (default true). */
  skipConsent?: boolean;
  scopes?: string[];
  /** What scopes are for, by scope (each must be one of `scopes`). */
  scopeDescriptions?: Record<string, string>;
  accessTokenTtl?: number;
  encryption?: EncryptionSettings | null;
}

/** What `updateApi` may change (the identifier never does); what is left out stays. */
export type ApiChanges = Omit<AddApiInput, 'identifier'>;

/** Where the management API lives under the issuer: its identifier is `<issuer>api/v2/`. */
export const MANAGEMENT_API_PATH = 'api/v2/';

/** The identifier of the issuer's own management API (built in: administrators cannot change it). */
export function managementApiIdentifier(issuer: string): string {
  return `${issuer}${MANAGEMENT_API_PATH}`;
}

/** Creates an API after the checks of `checkApi`; refuses (`conflict`) an identifier in use. */
export async function addApi(ctx: ServerContext, input: AddApiInput): Promise<Api> {
  const identifier = checkUrl(input.identifier, '--identifier');
  if (identifier === managementApiIdentifier(ctx.config.issuer))
    throw AdminError.conflict(`API ${identifier} is the built-in management API`);
  if (await ctx.storage.apis.get(identifier)) throw AdminError.conflict(`API ${identifier} already exists`);
  const api = await checkApi({
    identifier,
    name: input.name ?? identifier,
    signingAlg: input.alg ?? 'RS256',
    rbac: input.rbac ?? false,
    skipConsent: input.skipConsent ?? true,
    scopes: input.scopes ?? [],
    scopeDescriptions: input.scopeDescriptions ?? {},
    accessTokenTtl: input.accessTokenTtl ?? ctx.config.ttl.accessToken,
    encryption: input.encryption ?? null,
    createdAt: nowSeconds(ctx.config),
  });
  try {
    await ctx.storage.apis.insert(api);
  } catch (error) {
    if (isUniqueViolation(error)) throw AdminError.conflict(`API ${identifier} already exists`);
    throw error;
  }
  ctx.registry.invalidate();
  await ctx.keys.ensure([api.signingAlg]);
  return api;
}

export function listApis(ctx: ServerContext): Promise<Api[]> {
  return ctx.storage.apis.list();
}

export async function getApi(ctx: ServerContext, identifier: string): Promise<Api> {
  return requireApi(ctx, identifier);
}

/**
 * Changes what `changes` gives and checks the API as a whole again. A scope removed from the API
 * is no longer granted to any client (client_credentials grants what both the client's grant and
 * the API name); tokens already issued keep their scopes until they expire.
 */
export async function updateApi(ctx: ServerContext, identifier: string, changes: ApiChanges): Promise<Api> {
  const current = await requireChangeableApi(ctx, identifier);
  const scopes = changes.scopes ?? current.scopes;
  const descriptions = changes.scopeDescriptions ?? current.scopeDescriptions;
  const next = await checkApi({
    ...current,
    name: changes.name ?? current.name,
    signingAlg: changes.alg ?? current.signingAlg,
    rbac: changes.rbac ?? current.rbac,
    skipConsent: changes.skipConsent ?? current.skipConsent,
    scopes,
    // Descriptions of scopes that are gone go with them.
    scopeDescriptions: Object.fromEntries(
      Object.entries(descriptions).filter(([scope]) => scopes.includes(scope)),
    ),
    accessTokenTtl: changes.accessTokenTtl ?? current.accessTokenTtl,
    encryption: changes.encryption === undefined ? current.encryption : changes.encryption,
  });
  await ctx.storage.apis.update(next);
  ctx.registry.invalidate();
  await ctx.keys.ensure([next.signingAlg]);
  return next;
}

/**
 * Deletes the API, the role permissions for it and the client grants of it. Tokens already issued
 * for it stay valid until they expire (revoke them per user or client if that matters).
 */
export async function removeApi(ctx: ServerContext, identifier: string): Promise<{ identifier: string }> {
  await requireChangeableApi(ctx, identifier);
  await ctx.storage.apis.delete(identifier);
  ctx.registry.invalidate();
  return { identifier };
}

/**
 * Registers the issuer's management API (`managementApiIdentifier`) with `scopes`, or brings an
 * existing one's name, scopes and descriptions to these: safe on every start, from several
 * processes at once (a lost race to insert is taken as done). RS256, RBAC off.
 */
export async function ensureManagementApi(
  ctx: ServerContext,
  name: string,
  scopes: readonly { value: string; description: string }[],
): Promise<Api> {
  const identifier = managementApiIdentifier(ctx.config.issuer);
  const wanted = {
    name,
    scopes: scopes.map((scope) => scope.value),
    scopeDescriptions: Object.fromEntries(scopes.map((scope) => [scope.value, scope.description])),
  };
  const current = await ctx.storage.apis.get(identifier);
  if (current) {
    const have = { name: current.name, scopes: current.scopes, scopeDescriptions: current.scopeDescriptions };
    if (JSON.stringify(have) === JSON.stringify(wanted)) return current;
    const next = { ...current, ...wanted };
    await ctx.storage.apis.update(next);
    ctx.registry.invalidate();
    return next;
  }
  const api: Api = {
    identifier,
    ...wanted,
    signingAlg: 'RS256',
    rbac: false,
    skipConsent: true,
    accessTokenTtl: ctx.config.ttl.accessToken,
    encryption: null,
    createdAt: nowSeconds(ctx.config),
  };
  try {
    await ctx.storage.apis.insert(api);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await ctx.storage.apis.get(identifier)) ?? api;
  }
  ctx.registry.invalidate();
  await ctx.keys.ensure(['RS256']);
  return api;
}

async function requireApi(ctx: ServerContext, identifier: string): Promise<Api> {
  const api = typeof identifier === 'string' ? await ctx.storage.apis.get(identifier) : undefined;
  if (!api) throw AdminError.notFound(`unknown API: ${identifier}`);
  return api;
}

async function requireChangeableApi(ctx: ServerContext, identifier: string): Promise<Api> {
  const api = await requireApi(ctx, identifier);
  if (identifier === managementApiIdentifier(ctx.config.issuer))
    throw new AdminError(`API ${identifier} is the built-in management API: it cannot be changed or removed`);
  return api;
}

/**
 * The checks of a whole API: an absolute URL as identifier, a name, a signing algorithm of
 * `signingAlgs`, distinct RFC 6749 scope tokens with descriptions only for them, a lifetime of 1 s
 * to 30 days, a usable public encryption key. Returns it as stored.
 */
async function checkApi(api: Api): Promise<Api> {
  if (!Array.isArray(api.scopes)) throw new AdminError('--scope must be a list');
  const scopes = api.scopes.map(checkScope);
  const duplicate = scopes.find((scope, index) => scopes.indexOf(scope) !== index);
  if (duplicate !== undefined) throw new AdminError(`--scope ${duplicate} is given twice`);
  const descriptions = api.scopeDescriptions;
  if (typeof descriptions !== 'object' || descriptions === null || Array.isArray(descriptions))
    throw new AdminError('scope descriptions must be an object of scope to text');
  for (const [scope, description] of Object.entries(descriptions)) {
    if (!scopes.includes(scope)) throw new AdminError(`a description for ${scope}, which is not a scope`);
    if (typeof description !== 'string' || description.length > 500 || hasControlCharacter(description))
      throw new AdminError(`the description of ${scope} must be at most 500 characters`);
  }
  if (typeof api.rbac !== 'boolean') throw new AdminError('--rbac must be true or false');
  if (typeof api.skipConsent !== 'boolean') throw new AdminError('--skip-consent must be true or false');
  if (api.encryption) await checkEncryptionKey(api.encryption);
  return {
    ...api,
    name: checkName(api.name, '--name', 256),
    signingAlg: checkSigningAlg(api.signingAlg),
    scopes,
    accessTokenTtl: checkAccessTokenTtl(api.accessTokenTtl),
  };
}
