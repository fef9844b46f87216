import { z } from '@hono/zod-openapi';
import { FieldsQuery, PageQuery, queryBoolean } from '../http/paging.js';
import { optionalAll, unsupportedFields } from '../http/unsupported.js';

/** Auth0's application types Warden has, and Warden's client type for each. */
export const APP_TYPES = {
  spa: 'spa',
  regular_web: 'web',
  non_interactive: 'm2m',
  native: 'native',
} as const;

export type AppType = keyof typeof APP_TYPES;

const appType = z.enum(Object.keys(APP_TYPES) as [AppType, ...AppType[]]).openapi({
  description:
    'spa (single-page app), regular_web (a web server), non_interactive (machine to machine), native (mobile or desktop).',
});

const url = z.string().min(1).max(2048);
const urls = (description: string) => z.array(url).max(100).openapi({ description });

/**
 * Fields of Auth0's client that Warden does not have: refused by name (see `unsupportedFields`).
 * `client_secret` is generated (shown on create and rotate-secret only), `client_id` too.
 */
export const UNSUPPORTED_CLIENT_FIELDS = [
  'client_id',
  'client_secret',
  'description',
  'logo_uri',
  'client_aliases',
  'allowed_clients',
  'oidc_logout',
  'oidc_backchannel_logout',
  'session_transfer',
  'jwt_configuration',
  'encryption_key',
  'sso',
  'sso_disabled',
  'cross_origin_authentication',
  'cross_origin_auth',
  'cross_origin_loc',
  'custom_login_page_on',
  'custom_login_page',
  'custom_login_page_preview',
  'form_template',
  'is_token_endpoint_ip_header_trusted',
  'addons',
  'client_metadata',
  'mobile',
  'initiate_login_uri',
  'native_social_login',
  'refresh_token',
  'default_organization',
  'organization_usage',
  'organization_require_behavior',
  'organization_discovery_methods',
  'client_authentication_methods',
  'require_pushed_authorization_requests',
  'require_proof_of_possession',
  'signed_request_object',
  'compliance_level',
  'par_request_expiry',
  'token_quota',
  'token_exchange',
  'express_configuration',
  'resource_server_identifier',
  'app_type_options',
  'skip_non_verifiable_callback_uri_confirmation_prompt',
  'async_approval_notification_channels',
  'my_organization_configuration',
  'third_party_security_mode',
  'redirection_policy',
] as const;

/** The grant types Warden knows; which a client has follows from its type (`grant_types`). */
const grantType = z.enum(['authorization_code', 'refresh_token', 'client_credentials', 'implicit']);

const editable = {
  name: z.string().trim().min(1).max(128).openapi({ example: 'Dragons' }),
  callbacks: urls(
    'Where the authorization server may send users back (redirect URIs). At least one unless non_interactive.',
  ),
  allowed_origins: urls('Origins (scheme://host[:port]) allowed to call the token endpoint from a browser.'),
  web_origins: urls(
    'The same list as allowed_origins (Warden has one list of origins): equal when both are given.',
  ),
  allowed_logout_urls: urls('Where users may be sent after signing out.'),
  is_first_party: z.boolean().openapi({
    description:
      'First-party clients never ask users for consent; third-party clients always do. Default true.',
  }),
  oidc_conformant: z.literal(true, { error: 'Warden clients are always OIDC conformant: only true' }),
  grant_types: z.array(grantType).max(10).openapi({
    description:
      'Decided by app_type: spa, regular_web and native get authorization_code and refresh_token, non_interactive gets client_credentials. Give that list, plus implicit to turn on the legacy implicit flow (not for non_interactive).',
  }),
  token_endpoint_auth_method: z.enum(['none', 'client_secret_post', 'client_secret_basic']).openapi({
    description:
      'none for spa and native; a regular_web or non_interactive client may send its secret either way (both are taken).',
  }),
};

export const CreateClientBody = z
  .strictObject({
    ...optionalAll(editable),
    name: editable.name,
    app_type: appType,
    ...unsupportedFields(UNSUPPORTED_CLIENT_FIELDS),
  })
  .openapi('ClientCreate');

export const UpdateClientBody = z
  .strictObject({
    ...optionalAll(editable),
    app_type: appType.optional(),
    ...unsupportedFields(UNSUPPORTED_CLIENT_FIELDS),
  })
  .openapi('ClientUpdate');

export type CreateClientBody = z.infer<typeof CreateClientBody>;
export type UpdateClientBody = z.infer<typeof UpdateClientBody>;

export const Client = z
  .object({
    client_id: z.string(),
    name: z.string(),
    app_type: appType,
    callbacks: z.array(z.string()),
    allowed_origins: z.array(z.string()),
    web_origins: z.array(z.string()),
    allowed_logout_urls: z.array(z.string()),
    is_first_party: z.boolean(),
    oidc_conformant: z.literal(true),
    grant_types: z.array(z.string()),
    token_endpoint_auth_method: z.enum(['none', 'client_secret_basic']),
    client_secret: z.string().optional().openapi({
      description: 'Only in the answers of create and rotate-secret: Warden keeps a hash of it.',
    }),
  })
  .openapi('Client');

export const ClientList = z
  .union([
    z.array(Client),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      length: z.number().int(),
      total: z.number().int(),
      clients: z.array(Client),
    }),
  ])
  .openapi('ClientList');

export const ClientIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'dragons-spa' }),
});

export const ListClientsQuery = z.strictObject({
  ...PageQuery,
  ...FieldsQuery,
  app_type: z
    .string()
    .regex(/^[a-z_]+(,[a-z_]+)*$/)
    .optional()
    .openapi({ description: 'Only clients of these app types (comma-separated).' }),
  is_first_party: queryBoolean.optional(),
  is_global: queryBoolean
    .optional()
    .openapi({ description: 'Warden has no global clients: true answers none, false all.' }),
});

export const GetClientQuery = z.strictObject({ ...FieldsQuery });
