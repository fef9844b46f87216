import { z } from '@hono/zod-openapi';
import { DATABASE_CONNECTION } from '@warden/server';
import { FieldsQuery, PageQuery, queryBoolean } from '../http/paging.js';
import { optionalAll, unsupportedFields } from '../http/unsupported.js';

/**
 * Fields of Auth0's user that Warden does not have: refused by name (see `unsupportedFields`).
 * `user_id` is generated.
 */
export const UNSUPPORTED_USER_FIELDS = [
  'user_id',
  'phone_number',
  'phone_verified',
  'verify_phone_number',
  'verify_password',
  'user_metadata',
  'app_metadata',
  'client_id',
] as const;

const text = (description: string) => z.string().max(256).openapi({ description });
const clearable = (description: string) => text(description).nullable();

const editable = {
  email: z.string().max(320).openapi({ example: 'bilbo@example.com' }),
  password: z.string().max(1024).openapi({
    description: 'At least 8 characters; stored as an argon2id hash, never answered or logged.',
  }),
  username: z.string().max(128).openapi({ description: 'A second login besides the email.' }),
  name: text('The full name.'),
  nickname: text('Default: the username as typed, else the part of the email before @.'),
  given_name: text('The first name.'),
  family_name: text('The last name.'),
  picture: z.string().max(2048).openapi({ description: 'An http or https URL of a picture.' }),
  email_verified: z.boolean(),
  blocked: z.boolean().openapi({
    description:
      'A blocked user cannot sign in or refresh tokens; blocking ends their sessions and revokes their refresh tokens.',
  }),
  connection: z
    .literal(DATABASE_CONNECTION, {
      error: `Warden creates and edits users of ${DATABASE_CONNECTION} only: users of other connections are made when they first sign in`,
    })
    .openapi({ description: `Only ${DATABASE_CONNECTION} (the default).` }),
  verify_email: z.literal(false, { error: 'Warden sends no verification emails: only false' }),
};

export const CreateUserBody = z
  .strictObject({
    ...optionalAll(editable),
    email: editable.email,
    password: editable.password,
    ...unsupportedFields(UNSUPPORTED_USER_FIELDS),
  })
  .openapi('UserCreate');

export const UpdateUserBody = z
  .strictObject({
    ...optionalAll(editable),
    username: editable.username.nullable().optional(),
    name: clearable('The full name; null clears it.').optional(),
    nickname: clearable('null clears it.').optional(),
    given_name: clearable('null clears it.').optional(),
    family_name: clearable('null clears it.').optional(),
    picture: editable.picture.nullable().optional(),
    ...unsupportedFields(UNSUPPORTED_USER_FIELDS),
  })
  .openapi('UserUpdate');

export type CreateUserBody = z.infer<typeof CreateUserBody>;
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const Identity = z
  .object({
    connection: z.string(),
    provider: z
      .string()
      .openapi({ description: 'auth0 for the password, else the upstream (github, oidc…).' }),
    user_id: z.string().openapi({ description: "The user's id there." }),
    isSocial: z.boolean(),
  })
  .openapi('UserIdentity');

export const User = z
  .object({
    user_id: z.string(),
    email: z.string().optional(),
    email_verified: z.boolean(),
    username: z.string().optional(),
    name: z.string().optional(),
    nickname: z.string().optional(),
    given_name: z.string().optional(),
    family_name: z.string().optional(),
    picture: z.string().optional(),
    locale: z.string().optional(),
    blocked: z.boolean(),
    created_at: z.string().openapi({ example: '2026-01-01T00:00:00.000Z' }),
    updated_at: z.string(),
    identities: z.array(Identity),
  })
  .openapi('User');

export const UserList = z
  .union([
    z.array(User),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      length: z.number().int(),
      total: z.number().int(),
      users: z.array(User),
    }),
  ])
  .openapi('UserList');

export const UserIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(512)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'user_3f9c0d2a' }),
});

/** Auth0's `sort` values Warden has: by creation time, up (1) or down (-1). */
export const USER_SORTS = ['created_at:1', 'created_at:-1'] as const;

export const ListUsersQuery = z.strictObject({
  ...PageQuery,
  ...FieldsQuery,
  q: z.string().max(1024).optional().openapi({
    description:
      'email:"x", email:x*, name:"x", name:x*, user_id:"x", or one term that starts an email or a name; anything else is refused with 400.',
    example: 'email:"bilbo@example.com"',
  }),
  search_engine: z.literal('v3').optional().openapi({ description: 'v3 only (the default).' }),
  sort: z
    .enum(USER_SORTS)
    .optional()
    .openapi({ description: 'created_at:1 (the default, oldest first) or created_at:-1.' }),
});

export const GetUserQuery = z.strictObject({ ...FieldsQuery });

export const UsersByEmailQuery = z.strictObject({
  ...FieldsQuery,
  email: z.string().min(1).max(320).openapi({ example: 'bilbo@example.com' }),
});

export const Session = z
  .object({
    id: z.string().openapi({ description: "The session's public id (the sid of its ID tokens)." }),
    user_id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    authenticated_at: z.string(),
    last_interacted_at: z.string(),
    idle_expires_at: z.string(),
    expires_at: z.string(),
  })
  .openapi('Session');

export const SessionList = z
  .object({
    sessions: z.array(Session),
    next: z.string().optional().openapi({ description: 'The `from` of the next page, when there is one.' }),
    total: z.number().int().optional(),
  })
  .openapi('SessionList');

export const ListSessionsQuery = z.strictObject({
  from: z
    .string()
    .max(256)
    .optional()
    .openapi({ description: 'The id of the last session of the previous page.' }),
  take: z.coerce.number().int().min(1).max(100).optional().openapi({ description: '1 to 100, default 50.' }),
  include_totals: queryBoolean.optional(),
});

export const SessionParams = z.object({
  id: UserIdParams.shape.id,
  session_id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'session_id', in: 'path' } }),
});

export const IdentityParams = z.object({
  id: UserIdParams.shape.id,
  provider: z
    .string()
    .min(1)
    .max(128)
    .openapi({ param: { name: 'provider', in: 'path' }, example: 'github' }),
  user_id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'user_id', in: 'path' }, example: '12345' }),
});

export const AuthenticationMethod = z
  .object({
    id: z.string(),
    type: z.literal('password'),
    created_at: z.string(),
  })
  .openapi('AuthenticationMethod');

export const AuthenticationMethodList = z
  .union([
    z.array(AuthenticationMethod),
    z.object({
      start: z.number().int(),
      limit: z.number().int(),
      length: z.number().int(),
      total: z.number().int(),
      authenticators: z.array(AuthenticationMethod),
    }),
  ])
  .openapi('AuthenticationMethodList');

export const ListAuthenticationMethodsQuery = z.strictObject({ ...PageQuery });

export const AuthenticationMethodParams = z.object({
  id: UserIdParams.shape.id,
  authentication_method_id: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'authentication_method_id', in: 'path' }, example: 'password' }),
});
