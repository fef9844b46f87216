import { nowSeconds } from '../config.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import { newId } from '../ids.js';
import { checkPasswordPolicy, hashPassword } from '../password.js';
import type { ServerContext } from '../server-context.js';
import { endEverySession, endSessionBySid } from '../sso/end-sessions.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Identity, User } from '../storage/storage.js';
import { checkEmailAddress } from '../users/check-email-address.js';
import { checkUsername } from '../users/check-username.js';
import { hasOneWayToSignIn } from '../users/one-way-to-sign-in.js';
import { parseUserQuery } from '../users/parse-user-query.js';
import { checkName, checkUrl } from './admin-checks.js';
import { AdminError } from './admin-error.js';

export interface AddUserInput {
  email: string;
  password: string;
  name?: string;
  username?: string;
  /** Default: the username as typed, else the email's local part. */
  nickname?: string;
  givenName?: string;
  familyName?: string;
  picture?: string;
  roles?: string[];
  emailVerified?: boolean;
  blocked?: boolean;
}

/**
 * What `updateUser` may change; what is left out stays, and null clears a field that may be empty.
 * A new email is unverified unless `emailVerified` says otherwise.
 */
export interface UserChanges {
  email?: string;
  username?: string | null;
  name?: string | null;
  nickname?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  picture?: string | null;
  password?: string;
  emailVerified?: boolean;
  /** Blocking ends every session of the user and revokes their refresh tokens. */
  blocked?: boolean;
}

/** A user's upstream account, as administrators see it (never its tokens). */
export interface IdentityView {
  connection: string;
  provider: string;
  user_id: string;
  profileData: Record<string, unknown>;
}

/** A user as administrators see them: never the password hash, with their upstream `identities`. */
export type UserView = Omit<User, 'passwordHash'> & { hasPassword: boolean; identities: IdentityView[] };

/** One of a user's live SSO sessions (times in epoch seconds); never its cookie or data. */
export interface UserSessionView {
  /** The public `sid` (as in ID tokens), not the secret cookie value. */
  id: string;
  userId: string;
  createdAt: number;
  /** When the user last proved who they are. */
  authenticatedAt: number;
  lastSeenAt: number;
  idleExpiresAt: number;
  expiresAt: number;
}

/** A way the user signs in with a secret Warden holds: for now, the password. */
export interface AuthenticationMethodView {
  id: string;
  type: 'password';
  /** When the user was created (Warden does not record when a password was set). */
  createdAt: number;
}

/** The id of the password among a user's authentication methods. */
export const PASSWORD_METHOD_ID = 'password';

/** The longest text a profile field takes. */
const MAX_PROFILE_TEXT = 256;

/**
 * The user `addUser` would create, checked: the email must pass `checkEmailAddress` and the
 * username `checkUsername` (an `AdminError` naming the option says why not); both are stored in
 * canonical form, and the username as typed becomes the nickname unless one is given. Refuses an
 * email or username that is taken in any letter case or composition (`conflict`).
 */
export async function newUser(ctx: ServerContext, input: AddUserInput): Promise<User> {
  const address = checkEmailAddress(typeof input.email === 'string' ? input.email : '');
  if (!address.ok) throw new AdminError(`--email: ${address.problem}`);
  const { email } = address;
  const username = input.username == null ? undefined : checkUsername(String(input.username));
  if (username && !username.ok) throw new AdminError(`--username: ${username.problem}`);
  const password = await passwordHashOf(input.password);
  if (await ctx.storage.users.findByLogin(email))
    throw AdminError.conflict(`a user with email ${email} exists`);
  if (username && (await ctx.storage.users.findByLogin(username.username))) {
    throw AdminError.conflict(`username ${username.display} is taken`);
  }
  const now = nowSeconds(ctx.config);
  return {
    id: newId('user'),
    email,
    username: username ? username.username : null,
    passwordHash: password,
    name: optionalText(input.name, '--name'),
    nickname:
      optionalText(input.nickname, '--nickname') ??
      (username ? username.display : (email.split('@')[0] ?? null)),
    picture: optionalPicture(input.picture),
    givenName: optionalText(input.givenName, '--given-name'),
    familyName: optionalText(input.familyName, '--family-name'),
    locale: null,
    emailVerified: input.emailVerified === true,
    blocked: input.blocked === true,
    createdAt: now,
    updatedAt: now,
  };
}

/** Stores a user from `newUser`; one who took the email or username meanwhile wins (`conflict`). */
export async function insertUser(ctx: ServerContext, user: User): Promise<void> {
  try {
    await ctx.storage.users.insert(user);
  } catch (error) {
    if (isUniqueViolation(error))
      throw AdminError.conflict(`a user with email ${user.email} or username exists`);
    throw error;
  }
}

/** The user by id (not by email or username: ids are what the management API names). */
export async function getUser(ctx: ServerContext, userId: string): Promise<UserView> {
  return viewUser(ctx, await requireUser(ctx, userId));
}

/**
 * One page of the users Auth0's `q` finds (`parseUserQuery`; a query it does not read is refused
 * naming what), oldest first unless `descending`; with `total` when asked.
 */
export async function searchUsers(
  ctx: ServerContext,
  options: { q?: string; page: number; perPage: number; descending?: boolean; total?: boolean },
): Promise<{ users: UserView[]; total?: number }> {
  const parsed = parseUserQuery(options.q ?? '');
  if (!parsed.ok) throw new AdminError(`--q: ${parsed.problem}`);
  const { filter } = parsed;
  const users = await ctx.storage.users.search({
    filter,
    page: options.page,
    perPage: options.perPage,
    descending: options.descending === true,
  });
  const views = await Promise.all(users.map((user) => viewUser(ctx, user)));
  if (!options.total) return { users: views };
  return { users: views, total: await ctx.storage.users.count(filter) };
}

/** The users whose email is `email` in any letter case (none or one). */
export async function usersByEmail(ctx: ServerContext, email: string): Promise<UserView[]> {
  const users = await ctx.storage.users.search({
    filter: { kind: 'email', value: email, prefix: false },
    page: 0,
    perPage: 2,
  });
  return Promise.all(users.map((user) => viewUser(ctx, user)));
}

/**
 * Changes what `changes` gives, with the checks of `newUser` (email, username, password policy,
 * profile text, picture URL). Blocking a user ends every session of theirs and revokes their
 * refresh tokens (`endEverySession`), after the flag is stored, so no sign-in slips between.
 */
export async function updateUser(
  ctx: ServerContext,
  userId: string,
  changes: UserChanges,
): Promise<UserView> {
  const current = await requireUser(ctx, userId);
  const next: User = { ...current, updatedAt: nowSeconds(ctx.config) };
  if (changes.email !== undefined) {
    const address = checkEmailAddress(typeof changes.email === 'string' ? changes.email : '');
    if (!address.ok) throw new AdminError(`--email: ${address.problem}`);
    if (address.email !== current.email) {
      const holder = await ctx.storage.users.findByLogin(address.email);
      if (holder && holder.id !== userId)
        throw AdminError.conflict(`a user with email ${address.email} exists`);
      next.email = address.email;
      next.emailVerified = false;
    }
  }
  if (changes.username !== undefined) {
    if (changes.username === null) next.username = null;
    else {
      const username = checkUsername(String(changes.username));
      if (!username.ok) throw new AdminError(`--username: ${username.problem}`);
      const holder = await ctx.storage.users.findByLogin(username.username);
      if (holder && holder.id !== userId) throw AdminError.conflict(`username ${username.display} is taken`);
      next.username = username.username;
    }
  }
  if (changes.name !== undefined) next.name = optionalText(changes.name, '--name');
  if (changes.nickname !== undefined) next.nickname = optionalText(changes.nickname, '--nickname');
  if (changes.givenName !== undefined) next.givenName = optionalText(changes.givenName, '--given-name');
  if (changes.familyName !== undefined) next.familyName = optionalText(changes.familyName, '--family-name');
  if (changes.picture !== undefined) next.picture = optionalPicture(changes.picture);
  if (changes.password !== undefined) next.passwordHash = await passwordHashOf(changes.password);
  if (changes.emailVerified !== undefined)
    next.emailVerified = flag(changes.emailVerified, '--email-verified');
  if (changes.blocked !== undefined) next.blocked = flag(changes.blocked, '--blocked');
  try {
    await ctx.storage.users.update(next);
  } catch (error) {
    if (isUniqueViolation(error)) throw AdminError.conflict('the email or username is taken');
    throw error;
  }
  if (next.blocked && !current.blocked) await endEverySession(ctx, userId);
  return viewUser(ctx, next);
}

/**
 * Deletes the user with their identities, roles, consents and tokens, after ending their sessions
 * and publishing a revocation, so APIs refuse the access tokens they still hold.
 */
export async function removeUser(ctx: ServerContext, userId: string): Promise<{ user_id: string }> {
  await requireUser(ctx, userId);
  await endEverySession(ctx, userId);
  await ctx.storage.users.delete(userId);
  return { user_id: userId };
}

/** The user's live SSO sessions, most recently seen first. */
export async function listUserSessions(ctx: ServerContext, userId: string): Promise<UserSessionView[]> {
  await requireUser(ctx, userId);
  return (await ctx.sso.listForUser(userId)).map((session) => ({
    id: session.sid,
    userId: session.userId,
    createdAt: session.createdAt,
    authenticatedAt: session.authTime,
    lastSeenAt: session.lastSeenAt,
    idleExpiresAt: session.idleExpiresAt,
    expiresAt: session.absoluteExpiresAt,
  }));
}

/** Ends one session of the user (`endSessionBySid`); an unknown session id is `not_found`. */
export async function endUserSession(
  ctx: ServerContext,
  userId: string,
  sessionId: string,
): Promise<{ user_id: string; session_id: string }> {
  await requireUser(ctx, userId);
  if (!(await endSessionBySid(ctx, userId, sessionId)))
    throw AdminError.notFound(`the user has no session ${sessionId}`);
  return { user_id: userId, session_id: sessionId };
}

/** Ends every session of the user and revokes their refresh tokens (`endEverySession`). */
export async function endUserSessions(
  ctx: ServerContext,
  userId: string,
): Promise<{ user_id: string; sessions: number }> {
  await requireUser(ctx, userId);
  return { user_id: userId, sessions: await endEverySession(ctx, userId) };
}

/**
 * Takes the upstream account (`provider`, the upstream's `upstreamId`) off the user: signing in
 * with it again makes a new user. Refused when it is the user's only way to sign in. Returns the
 * identities left.
 */
export async function unlinkIdentity(
  ctx: ServerContext,
  userId: string,
  provider: string,
  upstreamId: string,
): Promise<IdentityView[]> {
  const user = await requireUser(ctx, userId);
  const identities = await ctx.storage.identities.forUser(userId);
  const identity = identities.find(
    (candidate) => candidate.provider === provider && candidate.upstreamId === upstreamId,
  );
  if (!identity) throw AdminError.notFound(`the user has no ${provider} identity ${upstreamId}`);
  if (hasOneWayToSignIn(user, identities)) {
    throw new AdminError(
      `--identity: ${provider} ${upstreamId} is the only way the user signs in: give them a password or another account first`,
    );
  }
  await ctx.storage.identities.delete(identity.connection, identity.upstreamId);
  return identities.filter((candidate) => candidate !== identity).map(viewIdentity);
}

/** The user's password as an authentication method, when they have one. */
export async function listAuthenticationMethods(
  ctx: ServerContext,
  userId: string,
): Promise<AuthenticationMethodView[]> {
  const user = await requireUser(ctx, userId);
  return user.passwordHash === null
    ? []
    : [{ id: PASSWORD_METHOD_ID, type: 'password', createdAt: user.createdAt }];
}

/**
 * Deletes the user's password, when they have another way to sign in (an upstream account); the
 * user then signs in through it alone. Refused when the password is their only way in.
 */
export async function removeAuthenticationMethod(
  ctx: ServerContext,
  userId: string,
  methodId: string,
): Promise<{ user_id: string; id: string }> {
  const user = await requireUser(ctx, userId);
  if (methodId !== PASSWORD_METHOD_ID || user.passwordHash === null)
    throw AdminError.notFound(`the user has no authentication method ${methodId}`);
  if (hasOneWayToSignIn(user, await ctx.storage.identities.forUser(userId))) {
    throw new AdminError(
      `--authentication-method: the password is the only way the user signs in (${DATABASE_CONNECTION}); set a new one instead, or delete the user`,
    );
  }
  await ctx.storage.users.update({ ...user, passwordHash: null, updatedAt: nowSeconds(ctx.config) });
  return { user_id: userId, id: methodId };
}

/** The user as administrators see them (`UserView`). */
export async function viewUser(ctx: ServerContext, { passwordHash, ...user }: User): Promise<UserView> {
  return {
    ...user,
    hasPassword: passwordHash !== null,
    identities: (await ctx.storage.identities.forUser(user.id)).map(viewIdentity),
  };
}

function viewIdentity(identity: Identity): IdentityView {
  return {
    connection: identity.connection,
    provider: identity.provider,
    user_id: identity.upstreamId,
    profileData: identity.profileData,
  };
}

/** The user with this id; unknown: `not_found`. */
export async function requireUser(ctx: ServerContext, userId: string): Promise<User> {
  const user = typeof userId === 'string' ? await ctx.storage.users.get(userId) : undefined;
  if (!user) throw AdminError.notFound(`unknown user: ${userId}`);
  return user;
}

async function passwordHashOf(password: unknown): Promise<string> {
  if (typeof password !== 'string') throw new AdminError('--password is required');
  const policy = checkPasswordPolicy(password);
  if (policy) throw new AdminError(`--password: ${policy}`);
  return hashPassword(password);
}

/** Profile text: absent or null is none; else `checkName`'s rules, at most 256 characters. */
function optionalText(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  return checkName(value, what, MAX_PROFILE_TEXT);
}

function optionalPicture(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const url = checkUrl(value, '--picture');
  if (!/^https?:/i.test(url)) throw new AdminError(`--picture must be an http or https URL: ${url}`);
  return url;
}

function flag(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new AdminError(`${what} must be true or false`);
  return value;
}

/** How the audit log describes an update: blocking and unblocking are told apart. */
export function changeOfUser(changes: UserChanges): string {
  if (changes.blocked === true) return 'Block a user';
  if (changes.blocked === false) return 'Unblock a user';
  return 'Update a user';
}
