import type { z } from '@hono/zod-openapi';
import {
  type AddClientInput,
  type ClientChanges,
  type ClientView,
  clientGrantTypes,
  GRANTS_BY_CLIENT_TYPE,
} from '@warden/server';
import { bodyError } from '../http/validation-error.js';
import {
  APP_TYPES,
  type AppType,
  type Client,
  type CreateClientBody,
  type UpdateClientBody,
} from './client-schemas.js';

type WardenType = (typeof APP_TYPES)[AppType];

const APP_TYPE_OF: Readonly<Record<WardenType, AppType>> = Object.freeze(
  Object.fromEntries(Object.entries(APP_TYPES).map(([auth0, warden]) => [warden, auth0])) as Record<
    WardenType,
    AppType
  >,
);

function isConfidential(type: WardenType): boolean {
  return type === 'web' || type === 'm2m';
}

/** A client in Auth0's shape; `clientSecret` only right after create or rotate-secret. */
export function toAuth0Client(client: ClientView, clientSecret?: string): z.infer<typeof Client> {
  return {
    client_id: client.clientId,
    name: client.name,
    app_type: APP_TYPE_OF[client.type],
    callbacks: client.redirectUris,
    allowed_origins: client.allowedOrigins,
    web_origins: client.allowedOrigins,
    allowed_logout_urls: client.postLogoutRedirectUris,
    is_first_party: !client.thirdParty,
    oidc_conformant: true,
    grant_types: clientGrantTypes(client),
    token_endpoint_auth_method: isConfidential(client.type) ? 'client_secret_basic' : 'none',
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
  };
}

/** `POST /clients` as the domain's `AddClientInput`; the domain checks the values. */
export function clientInput(body: CreateClientBody): AddClientInput {
  const type = APP_TYPES[body.app_type];
  checkAuthMethod(body.token_endpoint_auth_method, type);
  const origins = originsOf(body);
  const implicit = legacyImplicitOf(body.grant_types, type);
  return {
    type,
    name: body.name,
    callbacks: body.callbacks ?? [],
    ...(origins === undefined ? {} : { origins }),
    logoutUrls: body.allowed_logout_urls ?? [],
    thirdParty: body.is_first_party === undefined ? false : !body.is_first_party,
    legacyImplicit: implicit ?? false,
  };
}

/** `PATCH /clients/{id}` as the domain's `ClientChanges` (what is not given stays). */
export function clientChanges(body: UpdateClientBody, current: ClientView): ClientChanges {
  const type = body.app_type === undefined ? current.type : APP_TYPES[body.app_type];
  checkAuthMethod(body.token_endpoint_auth_method, type);
  const origins = originsOf(body);
  const implicit = legacyImplicitOf(body.grant_types, type);
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.app_type === undefined ? {} : { type }),
    ...(body.callbacks === undefined ? {} : { callbacks: body.callbacks }),
    ...(origins === undefined ? {} : { origins }),
    ...(body.allowed_logout_urls === undefined ? {} : { logoutUrls: body.allowed_logout_urls }),
    ...(body.is_first_party === undefined ? {} : { thirdParty: !body.is_first_party }),
    ...(implicit === undefined ? {} : { legacyImplicit: implicit }),
  };
}

/** `allowed_origins` and `web_origins` are one list in Warden: either, or both when equal. */
function originsOf(body: { allowed_origins?: string[] | undefined; web_origins?: string[] | undefined }) {
  const { allowed_origins: allowed, web_origins: web } = body;
  if (allowed !== undefined && web !== undefined && !sameSet(allowed, web)) {
    throw bodyError(
      'web_origins',
      'Warden has one list of origins: give allowed_origins, or the same list in both',
    );
  }
  return allowed ?? web;
}

/**
 * `grant_types` cannot choose grants (the client type decides them); it must list exactly the
 * type's, and may add `implicit` (not for non_interactive) to turn on the legacy implicit flow.
 * Returns whether it asks for implicit, or undefined when not given.
 */
function legacyImplicitOf(grantTypes: string[] | undefined, type: WardenType): boolean | undefined {
  if (grantTypes === undefined) return undefined;
  const base = GRANTS_BY_CLIENT_TYPE[type];
  const implicit = grantTypes.includes('implicit');
  const rest = grantTypes.filter((grant) => grant !== 'implicit');
  if (!sameSet(rest, [...base]) || (implicit && type === 'm2m')) {
    const extra = type === 'm2m' ? '' : ' (plus implicit for the legacy implicit flow)';
    throw bodyError(
      'grant_types',
      `a ${APP_TYPE_OF[type]} client has the grant types ${base.join(', ')}${extra}`,
    );
  }
  return implicit;
}

function checkAuthMethod(method: string | undefined, type: WardenType): void {
  if (method === undefined) return;
  if ((method === 'none') !== !isConfidential(type)) {
    const expected = isConfidential(type) ? 'client_secret_basic or client_secret_post' : 'none';
    throw bodyError(
      'token_endpoint_auth_method',
      `a ${APP_TYPE_OF[type]} client authenticates with ${expected}`,
    );
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((item) => right.has(item));
}
