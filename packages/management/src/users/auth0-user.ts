import type { z } from '@hono/zod-openapi';
import {
  type AddUserInput,
  type AuthenticationMethodView,
  DATABASE_CONNECTION,
  type IdentityView,
  type UserChanges,
  type UserSessionView,
  type UserView,
} from '@warden/server';
import type {
  AuthenticationMethod,
  CreateUserBody,
  Identity,
  Session,
  UpdateUserBody,
  User,
} from './user-schemas.js';

/** Auth0's provider name of the password database's identities. */
const DATABASE_PROVIDER = 'auth0';

/** Upstreams Auth0 counts as enterprise, not social: plain OpenID Connect providers. */
const ENTERPRISE_PROVIDERS = new Set(['oidc']);

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * A user in Auth0's shape: fields without a value are left out, as Auth0 does; `identities` lists
 * the password (provider auth0) first when the user has one, then their upstream accounts.
 */
export function toAuth0User(user: UserView): z.infer<typeof User> {
  const optional = {
    email: user.email,
    username: user.username,
    name: user.name,
    nickname: user.nickname,
    given_name: user.givenName,
    family_name: user.familyName,
    picture: user.picture,
    locale: user.locale,
  };
  return {
    user_id: user.id,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    email_verified: user.emailVerified,
    blocked: user.blocked,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    identities: toAuth0Identities(user),
  };
}

/** The user's identities as Auth0 lists them (see `toAuth0User`). */
export function toAuth0Identities(user: Pick<UserView, 'id' | 'hasPassword' | 'identities'>) {
  const own: z.infer<typeof Identity>[] = user.hasPassword
    ? [{ connection: DATABASE_CONNECTION, provider: DATABASE_PROVIDER, user_id: user.id, isSocial: false }]
    : [];
  return [...own, ...user.identities.map(toAuth0Identity)];
}

export function toAuth0Identity(identity: IdentityView): z.infer<typeof Identity> {
  return {
    connection: identity.connection,
    provider: identity.provider,
    user_id: identity.user_id,
    isSocial: !ENTERPRISE_PROVIDERS.has(identity.provider),
  };
}

export function toAuth0Session(session: UserSessionView): z.infer<typeof Session> {
  return {
    id: session.id,
    user_id: session.userId,
    created_at: iso(session.createdAt),
    updated_at: iso(session.lastSeenAt),
    authenticated_at: iso(session.authenticatedAt),
    last_interacted_at: iso(session.lastSeenAt),
    idle_expires_at: iso(session.idleExpiresAt),
    expires_at: iso(session.expiresAt),
  };
}

export function toAuth0AuthenticationMethod(
  method: AuthenticationMethodView,
): z.infer<typeof AuthenticationMethod> {
  return { id: method.id, type: method.type, created_at: iso(method.createdAt) };
}

/** `POST /users` as the domain's `AddUserInput`; the domain checks the values. */
export function userInput(body: CreateUserBody): AddUserInput {
  return {
    email: body.email,
    password: body.password,
    ...defined({
      username: body.username,
      name: body.name,
      nickname: body.nickname,
      givenName: body.given_name,
      familyName: body.family_name,
      picture: body.picture,
      emailVerified: body.email_verified,
      blocked: body.blocked,
    }),
  };
}

/** `PATCH /users/{id}` as the domain's `UserChanges` (what is not given stays; null clears). */
export function userChanges(body: UpdateUserBody): UserChanges {
  return defined({
    email: body.email,
    password: body.password,
    username: body.username,
    name: body.name,
    nickname: body.nickname,
    givenName: body.given_name,
    familyName: body.family_name,
    picture: body.picture,
    emailVerified: body.email_verified,
    blocked: body.blocked,
  });
}

/** The entries whose value is not undefined. */
function defined<T extends Record<string, unknown>>(
  entries: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
