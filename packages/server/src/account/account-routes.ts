import { OAuthError } from '@warden/protocol';
import { continueAuthorization } from '../authorize/continue-authorization.js';
import { type PendingInteraction, saveInteraction } from '../authorize/interactions.js';
import { CONNECTION_START_PATH } from '../connections/start-connection.js';
import { htmlResponse } from '../http/html-response.js';
import { readFormBody, readQuery } from '../http/read-params.js';
import { AccountPage, type SignInWay } from '../pages/account-page.js';
import { checkFormOrigin, checkSessionCsrf, sessionCsrfToken } from '../security/form-csrf.js';
import type { ServerContext } from '../server-context.js';
import type { SsoSession } from '../sso/sso-sessions.js';
import type { Connection, Identity, User } from '../storage/storage.js';
import { displayName } from '../users/display-name.js';
import { hasOneWayToSignIn } from '../users/one-way-to-sign-in.js';
import { ACCOUNT_PATH, accountClient, accountRequest } from './account-client.js';

/** Fixed messages the page shows after a redirect (`?done=…`): never text taken from the URL. */
const MESSAGES = {
  linked: { notice: 'The account is linked: it signs you in here from now on.' },
  unlinked: { notice: 'The account is unlinked.' },
  cancelled: { error: 'Linking was cancelled.' },
  failed: { error: 'The other account could not be linked. Try again.' },
} as const;
type Done = keyof typeof MESSAGES;

/**
 * `GET /account`: the signed-in user's ways to sign in, to link and unlink. Without a session it
 * sends the browser to sign in first (any connection), and back.
 */
export async function showAccount(ctx: ServerContext, request: Request): Promise<Response> {
  const session = await ctx.sso.load(request);
  if (!session) {
    return continueAuthorization(
      ctx,
      accountRequest(ctx.config.issuer),
      accountClient(ctx.config.issuer),
      undefined,
    );
  }
  const user = await ctx.storage.users.get(session.userId);
  if (!user) throw new OAuthError('invalid_request', 'The account behind this session no longer exists.');
  const identities = await ctx.storage.identities.forUser(user.id);
  const connections = await ctx.storage.connections.list();
  const done = readQuery(request).get('done');
  const message = done !== undefined && done in MESSAGES ? MESSAGES[done as Done] : {};
  const csrfToken = sessionCsrfToken(session);
  return htmlResponse(
    AccountPage({
      userName: displayName(user),
      ...(user.email ? { email: user.email } : {}),
      ways: signInWays(user, identities, connections),
      linkable: connections
        .filter((c) => c.strategy !== 'database' && !identities.some((i) => i.connection === c.name))
        .map((connection) => ({
          displayName: connection.displayName,
          href: `/account/link?${new URLSearchParams({ connection: connection.name, csrf_token: csrfToken })}`,
        })),
      csrfToken,
      ...message,
      logoutHref: '/logout',
    }),
  );
}

/**
 * `GET /account/link?connection=NAME&csrf_token=…`: links one more upstream account. The session's
 * CSRF token is required (a forged link would attach an attacker's upstream account to the victim);
 * the user then signs in at the upstream, and the callback adds the identity to this user only if
 * the browser is still signed in as them (`linkUpstreamIdentity`).
 */
export async function startLink(ctx: ServerContext, request: Request): Promise<Response> {
  const session = await requireSession(ctx, request);
  const query = readQuery(request);
  checkSessionCsrf(session, query.get('csrf_token'));
  const name = query.get('connection');
  const connection = name === undefined ? undefined : await ctx.registry.connection(name);
  if (!connection || connection.strategy === 'database') {
    throw new OAuthError('invalid_request', 'There is no such account to link.');
  }
  const id = await saveInteraction(ctx, accountRequest(ctx.config.issuer, ['login']), {
    userId: session.userId,
  });
  const location = new URL(CONNECTION_START_PATH, ctx.config.issuer);
  location.search = new URLSearchParams({ interaction: id, connection: connection.name }).toString();
  return new Response(null, {
    status: 303,
    headers: { location: location.toString(), 'cache-control': 'no-store' },
  });
}

/**
 * The end of a link: adds the upstream account to the user who asked, if this browser is still
 * signed in as them (else an attacker's link interaction could attach the victim's upstream account
 * to the attacker), and if no other user has that upstream account.
 */
export async function linkUpstreamIdentity(
  ctx: ServerContext,
  request: Request,
  interaction: PendingInteraction & { link: { userId: string } },
  identity: Omit<Identity, 'userId'>,
): Promise<Response> {
  const session = await ctx.sso.load(request);
  if (session?.userId !== interaction.link.userId) {
    throw new OAuthError(
      'access_denied',
      'Sign in to your account again, then link the other account from there.',
      {
        status: 403,
      },
    );
  }
  const existing = await ctx.storage.identities.get(identity.connection, identity.upstreamId);
  if (existing && existing.userId !== session.userId) {
    throw new OAuthError('access_denied', 'That account is already linked to another user.', { status: 409 });
  }
  if (existing) await ctx.storage.identities.update({ ...existing, ...identity, userId: session.userId });
  else await ctx.storage.identities.insert({ ...identity, userId: session.userId });
  ctx.config.logger.info({ sub: session.userId, connection: identity.connection }, 'upstream account linked');
  return seeAccount('linked');
}

/** Where a cancelled or failed link returns: the account page, with a fixed message. */
export function linkFailed(cancelled: boolean): Response {
  return seeAccount(cancelled ? 'cancelled' : 'failed');
}

/**
 * `POST /account/unlink`: removes one upstream account from the signed-in user. Refuses to remove
 * the last way they sign in (no password and no other upstream account).
 */
export async function unlinkIdentity(ctx: ServerContext, request: Request): Promise<Response> {
  checkFormOrigin(ctx, request);
  const form = await readFormBody(request, ctx.config.maxBodySize);
  const session = await requireSession(ctx, request);
  checkSessionCsrf(session, form.get('csrf_token'));
  const connection = form.require('connection');
  const upstreamId = form.require('upstream_id');
  const user = await ctx.storage.users.get(session.userId);
  const identities = await ctx.storage.identities.forUser(session.userId);
  if (!user || !identities.some((i) => i.connection === connection && i.upstreamId === upstreamId)) {
    throw new OAuthError('invalid_request', 'That account is not linked to you.');
  }
  if (hasOneWayToSignIn(user, identities)) {
    throw new OAuthError(
      'invalid_request',
      'This is the only way you sign in: link another account before unlinking it.',
      {
        status: 409,
      },
    );
  }
  await ctx.storage.identities.delete(connection, upstreamId);
  ctx.config.logger.info({ sub: user.id, connection }, 'upstream account unlinked');
  return seeAccount('unlinked');
}

async function requireSession(ctx: ServerContext, request: Request): Promise<SsoSession> {
  const session = await ctx.sso.load(request);
  if (!session)
    throw new OAuthError(
      'invalid_request',
      'Your session has ended. Open your account page to sign in again.',
    );
  return session;
}

function signInWays(user: User, identities: Identity[], connections: Connection[]): SignInWay[] {
  const onlyWay = hasOneWayToSignIn(user, identities);
  const ways: SignInWay[] = [];
  if (user.passwordHash !== null) {
    ways.push({ label: 'Email and password', ...(user.email ? { detail: user.email } : {}) });
  }
  for (const identity of identities) {
    const connection = connections.find((c) => c.name === identity.connection);
    const detail = upstreamAccountName(identity);
    ways.push({
      label: connection?.displayName ?? identity.connection,
      ...(detail ? { detail } : {}),
      ...(onlyWay ? {} : { unlink: { connection: identity.connection, upstreamId: identity.upstreamId } }),
    });
  }
  return ways;
}

/** How the upstream names the account: its email, else its login or name. */
function upstreamAccountName(identity: Identity): string | undefined {
  for (const key of ['email', 'preferred_username', 'login', 'username', 'name']) {
    const value = identity.profileData[key];
    if (typeof value === 'string' && value.length <= 256) return value;
  }
  return undefined;
}

function seeAccount(done?: Done): Response {
  const location = done ? `${ACCOUNT_PATH}?done=${done}` : ACCOUNT_PATH;
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}
