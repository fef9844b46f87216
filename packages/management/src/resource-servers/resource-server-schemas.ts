import { z } from '@hono/zod-openapi';
import { FieldsQuery, PageQuery } from '../http/paging.js';
import { optionalAll, unsupportedFields } from '../http/unsupported.js';

/**
 * Fields of Auth0's resource server that Warden does not have: refused by name. `id` and
 * `is_system` are Warden's to say (the id is the identifier).
 */
export const UNSUPPORTED_RESOURCE_SERVER_FIELDS = [
  'id',
  'is_system',
  'signing_secret',
  'token_lifetime_for_web',
  'verificationLocation',
  'client',
  'token_encryption',
  'consent_policy',
  'authorization_details',
  'proof_of_possession',
  'subject_type_authorization',
  'allow_online_access',
] as const;

export const TOKEN_DIALECTS = [
  'access_token',
  'access_token_authz',
  'rfc9068_profile',
  'rfc9068_profile_authz',
] as const;

const Scope = z
  .strictObject({
    value: z.string().min(1).max(280).openapi({ example: 'read:dragons' }),
    description: z.string().max(500).optional().openapi({ example: 'See the dragons' }),
  })
  .openapi('ResourceServerScope');

const editable = {
  name: z.string().trim().min(1).max(256).openapi({ example: 'Dragons API' }),
  signing_alg: z.enum(['RS256', 'PS256', 'ES256', 'EdDSA']).openapi({
    description: 'How access tokens for the API are signed (default RS256). Warden has no HS256.',
  }),
  scopes: z
    .array(Scope)
    .max(500)
    .openapi({ description: 'The scopes (permissions) the API defines; replaces the list.' }),
  token_lifetime: z
    .number()
    .int()
    .min(1)
    .max(2_592_000)
    .openapi({ description: 'Access token lifetime in seconds (at most 30 days).', example: 600 }),
  enforce_policies: z.boolean().openapi({
    description:
      "RBAC: Warden's one switch, the same as a token_dialect ending in _authz. On, access tokens for users carry their roles and permissions for this API; the API enforces them.",
  }),
  token_dialect: z.enum(TOKEN_DIALECTS).openapi({
    description:
      'Warden always issues RFC 9068 access tokens: answered as rfc9068_profile, or rfc9068_profile_authz with RBAC (permissions in the token). access_token and access_token_authz are taken as those.',
  }),
  skip_consent_for_verifiable_first_party_clients: z.boolean().openapi({
    description:
      "Allow Skipping User Consent (default true): users of first-party clients are not asked to consent to the API's scopes. Off, they are asked once per client (the consent is remembered). Third-party clients always ask. Unlike Auth0, a localhost callback does not make a client unverifiable.",
  }),
  allow_offline_access: z.literal(true, {
    error: 'every Warden client that may use refresh tokens may ask for offline_access: only true',
  }),
};

export const CreateResourceServerBody = z
  .strictObject({
    ...optionalAll(editable),
    identifier: z.string().min(1).max(600).openapi({
      description: 'An absolute URL: the audience of its tokens.',
      example: 'http://localhost:3001/api/',
    }),
    ...unsupportedFields(UNSUPPORTED_RESOURCE_SERVER_FIELDS),
  })
  .openapi('ResourceServerCreate');

export const UpdateResourceServerBody = z
  .strictObject({
    ...optionalAll(editable),
    ...unsupportedFields(['identifier', ...UNSUPPORTED_RESOURCE_SERVER_FIELDS]),
  })
  .openapi('ResourceServerUpdate');

export type CreateResourceServerBody = z.infer<typeof CreateResourceServerBody>;
export type UpdateResourceServerBody = z.infer<typeof UpdateResourceServerBody>;

export const ResourceServer = z
  .object({
    id: z.string().openapi({ description: 'The identifier (Warden has no other id).' }),
    name: z.string(),
    identifier: z.string(),
    is_system: z
      .boolean()
      .openapi({ description: 'True for the management API itself, which cannot be changed.' }),
    signing_alg: z.enum(['RS256', 'PS256', 'ES256', 'EdDSA']),
    scopes: z.array(z.object({ value: z.string(), description: z.string().optional() })),
    token_lifetime: z.number().int(),
    enforce_policies: z.boolean(),
    token_dialect: z.enum(['rfc9068_profile', 'rfc9068_profile_authz']),
    skip_consent_for_verifiable_first_party_clients: z.boolean(),
    allow_offline_access: z.literal(true),
  })
  .openapi('ResourceServer');

export const ResourceServerList = z
  .union([
    z.array(ResourceServer),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      length: z.number().int(),
      total: z.number().int(),
      resource_servers: z.array(ResourceServer),
    }),
  ])
  .openapi('ResourceServerList');

export const ResourceServerIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(600)
    .openapi({
      param: { name: 'id', in: 'path', description: 'The identifier, URL-encoded.' },
      example: 'http%3A%2F%2Flocalhost%3A3001%2Fapi%2F',
    }),
});

export const ListResourceServersQuery = z.strictObject({
  ...PageQuery,
  ...FieldsQuery,
  identifiers: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: 'Only the APIs with these identifiers (the parameter repeated).' }),
});

export const GetResourceServerQuery = z.strictObject({ ...FieldsQuery });
