import { clientFields } from '../audit/entry-fields.js';
import { continueAuthorization } from '../authorize/continue-authorization.js';
import { interactionClient, loadInteraction, type PendingInteraction } from '../authorize/interactions.js';
import { nowSeconds } from '../config.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import { requirePasswordDatabase } from '../connections/offered-connections.js';
import { htmlResponse } from '../http/html-response.js';
import { readFormBody, readQuery } from '../http/read-params.js';
import { newId } from '../ids.js';
import { SignupPage } from '../pages/signup-page.js';
import { checkPasswordPolicy, hashPassword } from '../password.js';
import { checkFormOrigin, checkLoginCsrf, issueLoginCsrf } from '../security/form-csrf.js';
import { tryAgainIn } from '../security/login-throttle.js';
import type { ServerContext } from '../server-context.js';
import { isUniqueViolation } from '../storage/is-unique-violation.js';
import type { Client } from '../storage/storage.js';
import { checkEmailAddress } from '../users/check-email-address.js';

/** `GET /u/signup?interaction=…` (only when sign-up is enabled). */
export async function showSignup(ctx: ServerContext, request: Request): Promise<Response> {
  const interaction = await loadInteraction(ctx, readQuery(request).get('interaction'));
  const client = await interactionClient(ctx, interaction);
  await requirePasswordDatabase(ctx, client);
  return renderSignup(ctx, request, interaction, client, 200, {});
}

/**
 * `POST /u/signup`: creates the account, signs the user in and continues the authorization.
 *
 * Checks the form's origin and CSRF token, the per-IP sign-up throttle (429), the address
 * (`checkEmailAddress`: look-alike domains, compatibility and invisible characters are refused
 * with 400 and a message) and the password policy. The address is stored in canonical form, so
 * the user signs in with it in any letter case or composition. An address that is taken answers
 * 409: this tells whoever asks that an account exists (docs/security.md says what limits that).
 */
export async function submitSignup(ctx: ServerContext, request: Request, ip: string): Promise<Response> {
  checkFormOrigin(ctx, request);
  const form = await readFormBody(request, ctx.config.maxBodySize);
  checkLoginCsrf(ctx, request, form.get('csrf_token'));
  const interaction = await loadInteraction(ctx, form.get('interaction'));
  const client = await interactionClient(ctx, interaction);
  await requirePasswordDatabase(ctx, client);
  const typedEmail = (form.get('email') ?? '').trim();
  const name = (form.get('name') ?? '').trim().slice(0, 200);
  const password = form.get('password') ?? '';
  const values = { email: typedEmail, name };
  const attempt = {
    ...clientFields(client),
    connection: DATABASE_CONNECTION,
    userName: typedEmail.slice(0, 320),
  };
  const wait = ctx.signupThrottle.retryAfterIp(ip);
  if (wait > 0) {
    await ctx.audit.record({
      type: 'limit_mu',
      ...attempt,
      description: 'Too many sign-ups from this IP address',
      details: { reason: 'throttled', retry_after: wait },
    });
    return renderSignup(ctx, request, interaction, client, 429, {
      values,
      error: `Too many sign-up attempts from your network. ${tryAgainIn(wait)}`,
    });
  }
  const address = checkEmailAddress(typedEmail);
  if (!address.ok) {
    await ctx.audit.record({
      type: 'fs',
      ...attempt,
      description: address.problem,
      details: { reason: 'invalid email' },
    });
    return renderSignup(ctx, request, interaction, client, 400, { values, error: address.problem });
  }
  const { email } = address;
  const policyError = checkPasswordPolicy(password);
  if (policyError) {
    await ctx.audit.record({
      type: 'fs',
      ...attempt,
      userName: email,
      description: policyError,
      details: { reason: 'password policy' },
    });
    return renderSignup(ctx, request, interaction, client, 400, { values, error: policyError });
  }
  ctx.signupThrottle.recordIp(ip);
  const now = nowSeconds(ctx.config);
  const id = newId('user');
  const inserted = await ctx.storage.users
    .insert({
      id,
      email,
      username: null,
      passwordHash: await hashPassword(password),
      name: name || null,
      nickname: email.split('@')[0] ?? null,
      picture: null,
      givenName: null,
      familyName: null,
      locale: null,
      emailVerified: false,
      blocked: false,
      createdAt: now,
      updatedAt: now,
    })
    .then(
      () => true,
      (error: unknown) => {
        if (isUniqueViolation(error)) return false;
        throw error;
      },
    );
  if (!inserted) {
    await ctx.audit.record({
      type: 'fs',
      ...attempt,
      userName: email,
      description: 'An account with this email already exists',
      details: { reason: 'email taken' },
    });
    return renderSignup(ctx, request, interaction, client, 409, {
      values,
      error: 'An account with this email already exists. Sign in instead.',
    });
  }
  ctx.config.logger.info({ client_id: client.clientId, sub: id }, 'signed up');
  // As in Auth0: the sign-up, then the sign-in it starts.
  await ctx.audit.record({ type: 'ss', ...attempt, userId: id, userName: email });
  await ctx.audit.record({ type: 's', ...attempt, userId: id, userName: email });
  const { session, cookie } = await ctx.sso.start(request, id);
  return continueAuthorization(ctx, interaction.request, client, session, {
    interactionId: interaction.id,
    freshLogin: true,
    cookies: [cookie, ctx.loginCsrf.clearCookie],
  });
}

function renderSignup(
  ctx: ServerContext,
  request: Request,
  interaction: PendingInteraction,
  client: Client,
  status: number,
  state: { values?: { email?: string; name?: string }; error?: string },
): Response {
  const csrf = issueLoginCsrf(ctx, request);
  const page = SignupPage({
    clientName: client.name,
    action: '/u/signup',
    csrfToken: csrf.token,
    hidden: { interaction: interaction.id },
    ...state,
    loginHref: `/u/login?interaction=${encodeURIComponent(interaction.id)}`,
  });
  return htmlResponse(page, status, [csrf.cookie], [interaction.request.redirectUri]);
}
