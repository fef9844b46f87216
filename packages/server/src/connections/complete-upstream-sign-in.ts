import { hasControlCharacter, OAuthError } from '@warden/protocol';
import { createSealer } from '@warden/protocol/node';
import { linkFailed, linkUpstreamIdentity } from '../account/account-routes.js';
import { clientFields, userFields } from '../audit/entry-fields.js';
import { continueAuthorization, sendError } from '../authorize/continue-authorization.js';
import { deleteInteraction, interactionClient, type PendingInteraction } from '../authorize/interactions.js';
import { nowSeconds } from '../config.js';
import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Client, Connection, Identity, User, UserProfile } from '../storage/storage.js';
import { blockedUserError } from '../users/blocked-user.js';
import { checkEmailAddress } from '../users/check-email-address.js';
import { clearUpstreamCookie } from './upstream-transaction.js';

/** Who the upstream says signed in, mapped to the OpenID standard claims. */
export interface UpstreamProfile {
  /** The upstream's id of the account (OpenID `sub`, GitHub's `id`), as text. */
  id: string;
  /**
   * The provider, as Auth0 names it: `github`, `google-oauth2`, `twitter`, or the strategy (`oidc`,
   * `oauth2`) for a plain connection. A new user's id is `<provider>|<id>` for a preset's
   * connection (`github|12345`) and `<provider>|<connection>|<id>` for a plain one
   * (`oidc|guild|alice`), since two plain connections may hand out the same ids.
   */
  provider: string;
  email?: string | undefined;
  /** Only an explicit `true` from the upstream counts. */
  emailVerified?: boolean | undefined;
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  nickname?: string | undefined;
  picture?: string | undefined;
  locale?: string | undefined;
  /** What the upstream sent, kept as the identity's profile data (never put in tokens). */
  raw: Record<string, unknown>;
}

export interface UpstreamSignIn {
  interaction: PendingInteraction;
  connection: Connection;
  profile: UpstreamProfile;
  /** The upstream's tokens; kept (sealed) only when the connection says `storeTokens`. */
  tokens?: Record<string, unknown> | undefined;
}

/** The longest upstream account id taken (ids are opaque, but not unbounded). */
const MAX_UPSTREAM_ID = 255;

/** Refusals already in the audit log (see `recordUpstreamFailure`). */
const recordedFailures = new WeakSet<Error>();

/**
 * Signs in the user an upstream connection vouched for, and continues the authorization request
 * of `interaction` (consent, then the code back to the app).
 *
 * Who that user is:
 * - the user this upstream account is linked to (their profile is refreshed from the upstream);
 * - else, when the upstream says the email is verified, the connection is trusted for email
 *   (`trustEmail`, off by default) and a user with that email exists whose own email is verified,
 *   that user, the upstream account now linked to them;
 * - else a new user, `<provider>|<upstream id>`, with no password. When another user already has
 *   the email, that is refused with a page saying how to link instead: never an account takeover
 *   by an upstream that asserts someone else's address, and never a pre-registered password
 *   account taking over the upstream one.
 *
 * When the interaction links an account from the account page (`interaction.link`), the upstream
 * account is added to that user instead (`linkUpstreamIdentity`), and nobody is signed in.
 *
 * Refuses (the error page) a connection no longer enabled for the app, a profile without a usable
 * id, and a blocked user. It does NOT check the upstream's answer (the method did) nor read the request beyond
 * its cookies. A refused sign-in is recorded in the audit log (`f`, with the connection and why).
 */
export async function completeUpstreamSignIn(
  ctx: ServerContext,
  request: Request,
  signIn: UpstreamSignIn,
): Promise<Response> {
  try {
    return await signInOrLink(ctx, request, signIn);
  } catch (error) {
    // A failed link from the account page is no failed sign-in: nothing to record.
    if (signIn.interaction.link && error instanceof Error) recordedFailures.add(error);
    await recordUpstreamFailure(ctx, error, {
      interaction: signIn.interaction,
      connection: signIn.connection.name,
    });
    throw error;
  }
}

/**
 * Records a failed upstream sign-in (`f`) with its reason, once per error: the caller that knows
 * the interaction and connection records first, and an outer handler that only sees the error
 * (the upstream method's route) skips it then. Anything but an `OAuthError` is not a refusal of
 * the sign-in but a fault, and is not recorded.
 */
export async function recordUpstreamFailure(
  ctx: ServerContext,
  error: unknown,
  known: { interaction?: PendingInteraction; connection?: string } = {},
): Promise<void> {
  if (!(error instanceof OAuthError) || recordedFailures.has(error)) return;
  recordedFailures.add(error);
  const client = known.interaction
    ? await interactionClient(ctx, known.interaction).catch(() => undefined)
    : undefined;
  await ctx.audit.record({
    type: 'f',
    ...(client ? clientFields(client) : {}),
    connection: known.connection ?? null,
    description: error.description,
    details: { error: error.error },
  });
}

async function signInOrLink(ctx: ServerContext, request: Request, signIn: UpstreamSignIn): Promise<Response> {
  const { interaction, connection, profile } = signIn;
  const client = await interactionClient(ctx, interaction);
  await checkEnabled(ctx, client, connection);
  const upstreamId = checkUpstreamId(profile.id);
  if (interaction.link) {
    const now = nowSeconds(ctx.config);
    const response = await linkUpstreamIdentity(
      ctx,
      request,
      { ...interaction, link: interaction.link },
      {
        connection: connection.name,
        upstreamId,
        provider: profile.provider,
        profileData: profile.raw,
        sealedTokens: sealTokens(ctx, connection, signIn.tokens),
        createdAt: now,
        updatedAt: now,
      },
    );
    await deleteInteraction(ctx, interaction.id);
    response.headers.append('set-cookie', clearUpstreamCookie(ctx));
    return response;
  }
  const user = await findOrCreateUser(ctx, signIn, upstreamId);
  if (user.blocked) throw blockedUserError();
  const { session, cookie } = await ctx.sso.start(request, user.id);
  ctx.config.logger.info(
    { client_id: client.clientId, sub: user.id, connection: connection.name },
    'signed in upstream',
  );
  await ctx.audit.record({
    type: 's',
    ...clientFields(client),
    ...userFields(user),
    connection: connection.name,
    details: { provider: profile.provider },
  });
  return continueAuthorization(ctx, interaction.request, client, session, {
    interactionId: interaction.id,
    freshLogin: true,
    cookies: [cookie, clearUpstreamCookie(ctx)],
  });
}

/**
 * Ends the interaction with an error sent to the app at its redirect URI (with its `state`), as when
 * the user cancels at the upstream (`access_denied`); a link from the account page goes back there.
 */
export async function failUpstreamSignIn(
  ctx: ServerContext,
  interaction: PendingInteraction,
  error: 'access_denied' | 'temporarily_unavailable' | 'server_error',
  description: string,
): Promise<Response> {
  await deleteInteraction(ctx, interaction.id);
  if (!interaction.link) {
    const client = await interactionClient(ctx, interaction).catch(() => undefined);
    await ctx.audit.record({
      type: 'f',
      ...(client ? clientFields(client) : {}),
      description,
      details: { error },
    });
  }
  const response = interaction.link
    ? linkFailed(error === 'access_denied')
    : sendError(ctx, interaction.request, error, description);
  response.headers.append('set-cookie', clearUpstreamCookie(ctx));
  return response;
}

/** The connection must (still) be offered to this app. */
export async function checkEnabled(
  ctx: ServerContext,
  client: Client,
  connection: Connection,
): Promise<void> {
  const offered = await ctx.registry.connectionsFor(client.clientId);
  if (!offered.some((candidate) => candidate.name === connection.name)) {
    throw new OAuthError(
      'access_denied',
      `Signing in with ${connection.displayName} is not enabled for ${client.name}.`,
      { status: 403 },
    );
  }
}

function checkUpstreamId(id: unknown): string {
  if (typeof id !== 'string' || id === '' || id.length > MAX_UPSTREAM_ID || hasControlCharacter(id)) {
    throw new OAuthError(
      'access_denied',
      'The identity provider did not say which account signed in. Try again, or sign in another way.',
      { status: 502 },
    );
  }
  return id;
}

async function findOrCreateUser(
  ctx: ServerContext,
  signIn: UpstreamSignIn,
  upstreamId: string,
): Promise<User> {
  const { connection, profile } = signIn;
  const now = nowSeconds(ctx.config);
  const sealedTokens = sealTokens(ctx, connection, signIn.tokens);
  const linked = await ctx.storage.identities.get(connection.name, upstreamId);
  if (linked) {
    await ctx.storage.identities.update({
      ...linked,
      profileData: profile.raw,
      sealedTokens,
      updatedAt: now,
    });
    const user = await ctx.storage.users.get(linked.userId);
    if (!user) throw new OAuthError('access_denied', 'The account behind this sign-in no longer exists.');
    return refreshProfile(ctx, user, profile, now);
  }

  const email = verifiableEmail(profile.email);
  const identity: Identity = {
    connection: connection.name,
    upstreamId,
    provider: profile.provider,
    userId: '',
    profileData: profile.raw,
    sealedTokens,
    createdAt: now,
    updatedAt: now,
  };
  const holder = email ? await userWithEmail(ctx, email) : undefined;
  if (holder) {
    const trusted = connection.options.trustEmail === true && profile.emailVerified === true;
    if (!trusted || !holder.emailVerified) throw emailTaken(connection);
    await insertIdentity(ctx, { ...identity, userId: holder.id });
    ctx.config.logger.info(
      { sub: holder.id, connection: connection.name },
      'upstream account linked by email',
    );
    return holder;
  }

  const user: User = {
    id: await freeUserId(ctx, profile.provider, connection, upstreamId),
    username: null,
    passwordHash: null,
    ...profileFields(profile, email),
    blocked: false,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await ctx.storage.transaction(async (tx) => {
      await tx.users.insert(user);
      await tx.identities.insert({ ...identity, userId: user.id });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A concurrent first sign-in of the same account won, or the email was taken meanwhile.
    const winner = await ctx.storage.identities.get(connection.name, upstreamId);
    const existing = winner && (await ctx.storage.users.get(winner.userId));
    if (existing) return existing;
    throw emailTaken(connection);
  }
  return user;
}

/** Links an identity, answering a race on the same account (or the same upstream id) sanely. */
async function insertIdentity(ctx: ServerContext, identity: Identity): Promise<void> {
  try {
    await ctx.storage.identities.insert(identity);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const winner = await ctx.storage.identities.get(identity.connection, identity.upstreamId);
    if (winner?.userId !== identity.userId) throw error;
  }
}

/** The user's profile as the upstream now tells it; the email only when nobody else holds it. */
async function refreshProfile(
  ctx: ServerContext,
  user: User,
  profile: UpstreamProfile,
  now: number,
): Promise<User> {
  // A user who also has a password keeps the profile they set themselves.
  if (user.passwordHash !== null) return user;
  const offered = verifiableEmail(profile.email);
  const holder = offered && offered !== user.email ? await userWithEmail(ctx, offered) : undefined;
  const email = offered && !holder ? offered : user.email;
  // What the upstream leaves out this time stays as it was (Apple sends the name only once).
  const sent = profileFields(profile, email);
  const fields: UserProfile = {
    email,
    emailVerified: email === offered ? profile.emailVerified === true : user.emailVerified,
    name: sent.name ?? user.name,
    givenName: sent.givenName ?? user.givenName,
    familyName: sent.familyName ?? user.familyName,
    nickname: sent.nickname ?? user.nickname,
    picture: sent.picture ?? user.picture,
    locale: sent.locale ?? user.locale,
  };
  try {
    await ctx.storage.users.updateProfile(user.id, fields, now);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return user;
  }
  return { ...user, ...fields, updatedAt: now };
}

function profileFields(profile: UpstreamProfile, email: string | null): UserProfile {
  return {
    email,
    emailVerified: email !== null && profile.emailVerified === true,
    name: text(profile.name),
    givenName: text(profile.givenName),
    familyName: text(profile.familyName),
    nickname: text(profile.nickname) ?? email?.split('@')[0] ?? null,
    picture: webUrl(profile.picture),
    locale: text(profile.locale, 35),
  };
}

/** The email in canonical form when it is one Warden would register, else null (then ignored). */
function verifiableEmail(email: string | undefined): string | null {
  if (typeof email !== 'string') return null;
  const checked = checkEmailAddress(email);
  return checked.ok ? checked.email : null;
}

async function userWithEmail(ctx: ServerContext, email: string): Promise<User | undefined> {
  const user = await ctx.storage.users.findByLogin(email);
  return user?.email === email ? user : undefined;
}

/**
 * `provider|id` for a preset's connection, `provider|connection|id` for a plain one, or when
 * another connection of the same preset took `provider|id` already.
 */
async function freeUserId(
  ctx: ServerContext,
  provider: string,
  connection: Connection,
  id: string,
): Promise<string> {
  const qualified = `${provider}|${connection.name}|${id}`;
  if (connection.preset === null) return qualified;
  const preferred = `${provider}|${id}`;
  return (await ctx.storage.users.get(preferred)) ? qualified : preferred;
}

function emailTaken(connection: Connection): OAuthError {
  return new OAuthError(
    'access_denied',
    `An account with the email address of this ${connection.displayName} account already exists. ` +
      `Sign in to it the way you made it, then link ${connection.displayName} from your account page.`,
    { status: 409 },
  );
}

function sealTokens(
  ctx: ServerContext,
  connection: Connection,
  tokens: Record<string, unknown> | undefined,
): string | null {
  if (connection.options.storeTokens !== true || tokens === undefined) return null;
  return createSealer(ctx.config.secret, `upstream tokens ${connection.name}`, {
    maxSealedLength: 64 * 1024,
  }).seal(tokens);
}

function text(value: unknown, max = 256): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > max || hasControlCharacter(trimmed) ? null : trimmed;
}

function webUrl(value: unknown): string | null {
  const candidate = text(value, 2048);
  if (candidate === null) return null;
  try {
    const url = new URL(candidate);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
  } catch {
    return null;
  }
}
