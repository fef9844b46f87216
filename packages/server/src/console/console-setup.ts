import { OAuthError } from '@warden/protocol';
import { createSealer } from '@warden/protocol/node';
import { Admin } from '../admin/admin.js';
import { AdminError } from '../admin/admin-error.js';
import { nowSeconds } from '../config.js';
import { htmlResponse } from '../http/html-response.js';
import { readFormBody, readQuery } from '../http/read-params.js';
import { SignupPage } from '../pages/signup-page.js';
import { checkPasswordPolicy } from '../password.js';
import { checkFormOrigin, checkLoginCsrf, issueLoginCsrf } from '../security/form-csrf.js';
import type { ServerContext } from '../server-context.js';
import { checkEmailAddress } from '../users/check-email-address.js';
import { ADMINISTRATOR_ROLE, CONSOLE_PATH } from './console-client.js';

/** Where the first administrator is created. */
export const CONSOLE_SETUP_PATH = `${CONSOLE_PATH}setup`;

/** How long a setup link works (it stops working earlier, as soon as an administrator exists). */
export const SETUP_LINK_TTL = 24 * 60 * 60;

const PURPOSE = 'console setup link';

/** Whether anyone holds the administrator role. */
export async function hasAdministrator(ctx: ServerContext): Promise<boolean> {
  return (await ctx.storage.roles.members(ADMINISTRATOR_ROLE, { take: 1 })).total > 0;
}

/**
 * A one-time link that creates the first administrator, while there is none (undefined once there
 * is one). The idp prints it at start, as Keycloak does; whoever can read the idp's output can
 * open it. The link holds a sealed expiry (24 hours) and works only until an administrator exists.
 */
export async function consoleSetupLink(ctx: ServerContext): Promise<string | undefined> {
  if (await hasAdministrator(ctx)) return undefined;
  const token = sealer(ctx).seal({ exp: nowSeconds(ctx.config) + SETUP_LINK_TTL });
  const link = new URL(CONSOLE_SETUP_PATH.slice(1), ctx.config.issuer);
  link.searchParams.set('token', token);
  return link.toString();
}

/** `GET /console/setup?token=…`: the form that creates the first administrator. */
export async function showConsoleSetup(ctx: ServerContext, request: Request): Promise<Response> {
  const token = readQuery(request).get('token');
  await requireSetup(ctx, token);
  return renderSetup(ctx, request, token!, 200, {});
}

/**
 * `POST /console/setup`: creates the administrator (an account in the password database with the
 * role `warden:admin`, recorded in the audit log), signs them in and opens the console. Refused
 * once an administrator exists, with an expired or foreign link, from another site, or without
 * the form's CSRF token.
 */
export async function submitConsoleSetup(ctx: ServerContext, request: Request): Promise<Response> {
  checkFormOrigin(ctx, request);
  const form = await readFormBody(request, ctx.config.maxBodySize);
  checkLoginCsrf(ctx, request, form.get('csrf_token'));
  const token = form.get('token');
  await requireSetup(ctx, token);
  const typedEmail = (form.get('email') ?? '').trim();
  const name = (form.get('name') ?? '').trim().slice(0, 200);
  const password = form.get('password') ?? '';
  const values = { email: typedEmail, name };
  const address = checkEmailAddress(typedEmail);
  const problem = address.ok ? checkPasswordPolicy(password) : address.problem;
  if (problem || !address.ok)
    return renderSetup(ctx, request, token!, 400, { values, error: problem ?? undefined });
  let userId: string;
  try {
    ({ user_id: userId } = await new Admin(ctx, { kind: 'system' }).addUser({
      email: address.email,
      password,
      ...(name ? { name } : {}),
      roles: [ADMINISTRATOR_ROLE],
    }));
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    const taken = error.code === 'conflict';
    return renderSetup(ctx, request, token!, taken ? 409 : 400, {
      values,
      error: taken ? 'An account with this email already exists: choose another email.' : error.message,
    });
  }
  ctx.config.logger.info({ sub: userId }, 'first administrator created');
  const { cookie } = await ctx.sso.start(request, userId);
  const headers = new Headers({ location: CONSOLE_PATH, 'cache-control': 'no-store' });
  headers.append('set-cookie', cookie);
  headers.append('set-cookie', ctx.loginCsrf.clearCookie);
  return new Response(null, { status: 303, headers });
}

/** The link must be one this idp sealed, unexpired, and no administrator may exist yet. */
async function requireSetup(ctx: ServerContext, token: string | undefined): Promise<void> {
  const opened = sealer(ctx).open(token) as { exp?: unknown } | undefined;
  if (typeof opened?.exp !== 'number' || opened.exp <= nowSeconds(ctx.config)) {
    throw new OAuthError(
      'access_denied',
      'This setup link is not valid or has expired. Restart the idp to print a new one.',
      { status: 403 },
    );
  }
  if (await hasAdministrator(ctx)) {
    throw new OAuthError(
      'access_denied',
      'The console already has an administrator: sign in to the console, or ask an administrator for access.',
      { status: 403 },
    );
  }
}

function renderSetup(
  ctx: ServerContext,
  request: Request,
  token: string,
  status: number,
  state: { values?: { email?: string; name?: string }; error?: string | undefined },
): Response {
  const csrf = issueLoginCsrf(ctx, request);
  const page = SignupPage({
    clientName: 'Warden console',
    purpose: {
      heading: 'Create the first administrator',
      subtitle: 'This account administers Warden in its console.',
      submit: 'Create administrator',
    },
    action: CONSOLE_SETUP_PATH,
    csrfToken: csrf.token,
    hidden: { token },
    ...(state.values ? { values: state.values } : {}),
    ...(state.error ? { error: state.error } : {}),
  });
  return htmlResponse(page, status, [csrf.cookie]);
}

function sealer(ctx: ServerContext) {
  return createSealer(ctx.config.secret, PURPOSE);
}
