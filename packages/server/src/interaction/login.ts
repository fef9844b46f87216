import { OAuthError } from '@warden/protocol';
import { clientFields, userFields } from '../audit/entry-fields.js';
import { continueAuthorization } from '../authorize/continue-authorization.js';
import { interactionClient, loadInteraction, type PendingInteraction } from '../authorize/interactions.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import { offeredConnections, requirePasswordDatabase } from '../connections/offered-connections.js';
import { CONNECTION_START_PATH } from '../connections/start-connection.js';
import { htmlResponse } from '../http/html-response.js';
import { readFormBody, readQuery } from '../http/read-params.js';
import { LoginPage } from '../pages/login-page.js';
import { verifyPassword, verifyPasswordOfUnknownUser } from '../password.js';
import { checkFormOrigin, checkLoginCsrf, issueLoginCsrf } from '../security/form-csrf.js';
import { tryAgainIn } from '../security/login-throttle.js';
import type { ServerContext } from '../server-context.js';
import type { Client } from '../storage/storage.js';
import { BLOCKED_USER_MESSAGE } from '../users/blocked-user.js';
import { normalizeLogin } from '../users/normalize-login.js';

/** `GET /u/login?interaction=…`: the hosted sign-in form. */
export async function showLogin(ctx: ServerContext, request: Request): Promise<Response> {
  const interaction = await loadInteraction(ctx, readQuery(request).get('interaction'));
  const client = await interactionClient(ctx, interaction);
  return renderLogin(ctx, request, interaction, client, 200, { login: interaction.request.loginHint });
}

/**
 * `POST /u/login`: checks the form's origin and CSRF token, the throttle, then the password. The
 * answer for an unknown account and a wrong password is the same, and takes as long. The login is
 * an email or a username in any letter case or Unicode composition (`findByLogin` compares canonical
 * forms). Failures are counted per account (its email and username are one account; an unknown
 * login by its canonical form) and an attempt is counted as failed before the password is checked,
 * so guesses sent in parallel cannot all pass the throttle. A blocked user with the right password
 * is refused (403) and the attempt recorded (`f`, reason `blocked`).
 */
export async function submitLogin(ctx: ServerContext, request: Request, ip: string): Promise<Response> {
  checkFormOrigin(ctx, request);
  const form = await readFormBody(request, ctx.config.maxBodySize);
  checkLoginCsrf(ctx, request, form.get('csrf_token'));
  const interaction = await loadInteraction(ctx, form.get('interaction'));
  const client = await interactionClient(ctx, interaction);
  await requirePasswordDatabase(ctx, client);
  const login = (form.get('login') ?? '').trim().slice(0, 320);
  const password = form.get('password') ?? '';
  if (!login || !password) {
    return renderLogin(ctx, request, interaction, client, 400, {
      login,
      error: 'Enter your email or username and password.',
    });
  }
  const user = await ctx.storage.users.findByLogin(login);
  const account = user ? `user:${user.id}` : `login:${normalizeLogin(login)}`;
  const attempt = {
    ...clientFields(client),
    connection: DATABASE_CONNECTION,
    ...(user ? userFields(user) : { userName: normalizeLogin(login) }),
  };
  const wait = ctx.throttle.retryAfter(account, ip);
  if (wait > 0) {
    // Auth0's codes: the IP is blocked (many accounts tried), or this account is (many failures).
    const ipBlocked = ctx.throttle.retryAfterIp(ip) > 0;
    await ctx.audit.record({
      type: ipBlocked ? 'limit_mu' : 'limit_wc',
      ...attempt,
      description: ipBlocked
        ? 'Too many sign-in attempts from this IP address'
        : 'Too many failed sign-in attempts for this account',
      details: { reason: 'throttled', retry_after: wait },
    });
    return renderLogin(ctx, request, interaction, client, 429, {
      login,
      error: `Too many sign-in attempts. ${tryAgainIn(wait)}`,
    });
  }
  ctx.throttle.record(account, ip);
  // A user without a password (they sign in upstream) gets the same answer, as slowly, as an unknown one.
  const ok = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPasswordOfUnknownUser(password);
  if (!user || !ok) {
    ctx.config.logger.info({ client_id: client.clientId }, 'sign-in failed');
    await ctx.audit.record(
      !user
        ? {
            type: 'fu',
            ...attempt,
            description: 'Unknown email or username',
            details: { reason: 'unknown user' },
          }
        : !user.passwordHash
          ? {
              type: 'f',
              ...attempt,
              description: 'The user has no password: they sign in through a connection',
              details: { reason: 'no password' },
            }
          : { type: 'fp', ...attempt, description: 'Wrong password', details: { reason: 'wrong password' } },
    );
    return renderLogin(ctx, request, interaction, client, 401, {
      login,
      error: 'Wrong email, username or password.',
    });
  }
  if (user.blocked) {
    // Told only to whoever knows the password: nobody else learns that the account is blocked.
    await ctx.audit.record({
      type: 'f',
      ...attempt,
      description: 'The user is blocked',
      details: { reason: 'blocked' },
    });
    return renderLogin(ctx, request, interaction, client, 403, { login, error: BLOCKED_USER_MESSAGE });
  }
  ctx.throttle.reset(account, ip);
  const { session, cookie } = await ctx.sso.start(request, user.id);
  ctx.config.logger.info({ client_id: client.clientId, sub: user.id }, 'signed in');
  await ctx.audit.record({ type: 's', ...attempt });
  return continueAuthorization(ctx, interaction.request, client, session, {
    interactionId: interaction.id,
    freshLogin: true,
    cookies: [cookie, ctx.loginCsrf.clearCookie],
  });
}

async function renderLogin(
  ctx: ServerContext,
  request: Request,
  interaction: PendingInteraction,
  client: Client,
  status: number,
  state: { login?: string | undefined; error?: string },
): Promise<Response> {
  const offered = await offeredConnections(ctx, client);
  if (!offered.password && offered.upstream.length === 0) {
    throw new OAuthError('access_denied', `No way to sign in is enabled for ${client.name} yet.`, {
      status: 403,
    });
  }
  const csrf = issueLoginCsrf(ctx, request);
  const signupHref = ctx.config.signup ? `/u/signup?interaction=${encodeURIComponent(interaction.id)}` : null;
  const page = LoginPage({
    passwordForm: offered.password,
    connections: offered.upstream.map((connection) => ({
      displayName: connection.displayName,
      href: `${CONNECTION_START_PATH}?${new URLSearchParams({ interaction: interaction.id, connection: connection.name })}`,
    })),
    clientName: client.name,
    action: '/u/login',
    csrfToken: csrf.token,
    hidden: { interaction: interaction.id },
    ...(state.login ? { login: state.login } : {}),
    ...(state.error ? { error: state.error } : {}),
    signupHref,
  });
  return htmlResponse(page, status, [csrf.cookie], [interaction.request.redirectUri]);
}
