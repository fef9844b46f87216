import { z } from '@hono/zod-openapi';
import { FieldsQuery, PageQuery } from '../http/paging.js';
import { unsupportedFields } from '../http/unsupported.js';

/** Fields of Auth0's connection that Warden does not have: refused by name. */
export const UNSUPPORTED_CONNECTION_FIELDS = [
  'id',
  'metadata',
  'show_as_button',
  'authentication',
  'connected_accounts',
] as const;

const options = z.record(z.string(), z.unknown()).openapi({
  description:
    "The strategy's settings, in snake_case: client_id, client_secret (write only: never answered), issuer, scope (space-separated or a list), authorization_endpoint, token_endpoint, profile_endpoint, emails_endpoint, userinfo, pkce, token_endpoint_auth_method, mapping, a preset's own (tenant, team_id, key_id), and Warden's trust_email and store_tokens. Unknown names are refused.",
  example: { client_id: 'dragons', client_secret: '…', issuer: 'https://guild.example/' },
});

const shared = {
  display_name: z
    .string()
    .min(1)
    .max(64)
    .openapi({ description: 'What the login button says after "Continue with".' }),
  options,
  enabled_clients: z
    .array(z.string().min(1).max(256))
    .max(1000)
    .openapi({ description: 'The clients that offer it.' }),
  is_domain_connection: z.literal(false, { error: 'Warden has no domain connections: only false' }),
  realms: z.array(z.string()).max(1).openapi({ description: 'Only [name]: a connection is its own realm.' }),
};

export const CreateConnectionBody = z
  .strictObject({
    name: z.string().min(1).max(128).openapi({ example: 'guild', description: '/authorize?connection=NAME' }),
    strategy: z.string().min(1).max(64).openapi({
      description:
        "oidc, oauth2, or a preset: google, github, facebook, microsoft, apple, x, gitlab, discord (Auth0's google-oauth2, windowslive and twitter are taken as google, microsoft and x).",
      example: 'oidc',
    }),
    display_name: shared.display_name.optional(),
    options: shared.options.optional(),
    enabled_clients: shared.enabled_clients.optional(),
    is_domain_connection: shared.is_domain_connection.optional(),
    realms: shared.realms.optional(),
    ...unsupportedFields(UNSUPPORTED_CONNECTION_FIELDS),
  })
  .openapi('ConnectionCreate');

export const UpdateConnectionBody = z
  .strictObject({
    display_name: shared.display_name.optional(),
    options: shared.options.optional().openapi({
      description: 'The settings given replace those stored under their names; the others stay.',
    }),
    enabled_clients: shared.enabled_clients.optional(),
    is_domain_connection: shared.is_domain_connection.optional(),
    realms: shared.realms.optional(),
    ...unsupportedFields(['name', 'strategy', ...UNSUPPORTED_CONNECTION_FIELDS]),
  })
  .openapi('ConnectionUpdate');

export type CreateConnectionBody = z.infer<typeof CreateConnectionBody>;
export type UpdateConnectionBody = z.infer<typeof UpdateConnectionBody>;

export const Connection = z
  .object({
    id: z.string().openapi({ description: 'The name (Warden has no other id).' }),
    name: z.string(),
    display_name: z.string(),
    strategy: z
      .string()
      .openapi({ description: 'auth0 for the password database; else the type it was made with.' }),
    options: z.record(z.string(), z.unknown()),
    enabled_clients: z.array(z.string()),
    is_domain_connection: z.literal(false),
    realms: z.array(z.string()),
  })
  .openapi('Connection');

export const ConnectionList = z
  .union([
    z.array(Connection),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      length: z.number().int(),
      total: z.number().int(),
      connections: z.array(Connection),
    }),
    z.object({ connections: z.array(Connection), next: z.string().optional() }),
  ])
  .openapi('ConnectionList');

export const ConnectionIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'id', in: 'path', description: 'The name.' }, example: 'guild' }),
});

export const ListConnectionsQuery = z.strictObject({
  ...PageQuery,
  ...FieldsQuery,
  from: z
    .string()
    .max(128)
    .optional()
    .openapi({ description: 'Checkpoint paging: the `next` of the previous page.' }),
  take: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .optional()
    .openapi({ description: 'Checkpoint paging: how many (1 to 100).' }),
  strategy: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .openapi({ description: 'Only connections of these strategies (the parameter repeated).' }),
  name: z.string().max(128).optional().openapi({ description: 'Only the connection of this name.' }),
});

export const GetConnectionQuery = z.strictObject({ ...FieldsQuery });
