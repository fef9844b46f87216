import type { z } from '@hono/zod-openapi';
import { type AddApiInput, type Api, type ApiChanges, managementApiIdentifier } from '@warden/server';
import { bodyError } from '../http/validation-error.js';
import type {
  CreateResourceServerBody,
  ResourceServer,
  UpdateResourceServerBody,
} from './resource-server-schemas.js';

/** An API in Auth0's resource server shape; `issuer` tells the management API (`is_system`). */
export function toAuth0ResourceServer(api: Api, issuer: string): z.infer<typeof ResourceServer> {
  return {
    id: api.identifier,
    name: api.name,
    identifier: api.identifier,
    is_system: api.identifier === managementApiIdentifier(issuer),
    signing_alg: api.signingAlg,
    scopes: api.scopes.map((value) => {
      const description = api.scopeDescriptions[value];
      return description === undefined ? { value } : { value, description };
    }),
    token_lifetime: api.accessTokenTtl,
    enforce_policies: api.rbac,
    token_dialect: api.rbac ? 'rfc9068_profile_authz' : 'rfc9068_profile',
    skip_consent_for_verifiable_first_party_clients: api.skipConsent,
    allow_offline_access: true,
  };
}

/** `POST /resource-servers` as the domain's `AddApiInput`; the domain checks the values. */
export function apiInput(body: CreateResourceServerBody): AddApiInput {
  return { identifier: body.identifier, ...apiChanges(body) };
}

/** `PATCH /resource-servers/{id}` as the domain's `ApiChanges` (what is not given stays). */
export function apiChanges(body: UpdateResourceServerBody | CreateResourceServerBody): ApiChanges {
  const rbac = rbacOf(body);
  const scopes = body.scopes;
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.signing_alg === undefined ? {} : { alg: body.signing_alg }),
    ...(rbac === undefined ? {} : { rbac }),
    ...(body.skip_consent_for_verifiable_first_party_clients === undefined
      ? {}
      : { skipConsent: body.skip_consent_for_verifiable_first_party_clients }),
    ...(body.token_lifetime === undefined ? {} : { accessTokenTtl: body.token_lifetime }),
    ...(scopes === undefined
      ? {}
      : {
          scopes: scopes.map((scope) => scope.value),
          scopeDescriptions: Object.fromEntries(
            scopes.flatMap((scope) => (scope.description ? [[scope.value, scope.description]] : [])),
          ),
        }),
  };
}

/**
 * Warden's RBAC is one switch: `enforce_policies` and a `token_dialect` ending in `_authz` say the
 * same; given both, they must agree. Undefined when neither is given.
 */
function rbacOf(body: { enforce_policies?: boolean | undefined; token_dialect?: string | undefined }) {
  const fromDialect = body.token_dialect === undefined ? undefined : body.token_dialect.endsWith('_authz');
  if (
    body.enforce_policies !== undefined &&
    fromDialect !== undefined &&
    body.enforce_policies !== fromDialect
  ) {
    throw bodyError(
      'token_dialect',
      'in Warden RBAC puts the permissions in the token: enforce_policies true goes with a token_dialect ending in _authz, false with one without',
    );
  }
  return body.enforce_policies ?? fromDialect;
}
