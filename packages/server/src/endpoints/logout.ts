import { decodeJwt, hasControlCharacter, OAuthError, verifyCompactJws } from '@warden/protocol';
import { clientFields, userFields } from '../audit/entry-fields.js';
import { htmlResponse } from '../http/html-response.js';
import { type Params, readFormBody, readQuery } from '../http/read-params.js';
import { LoggedOutPage, LogoutPage, StillSignedInPage } from '../pages/logout-page.js';
import { checkFormOrigin, checkSessionCsrf, sessionCsrfToken } from '../security/form-csrf.js';
import type { ServerContext } from '../server-context.js';
import { endEverySession, endSession } from '../sso/end-sessions.js';
import type { SsoSession } from '../sso/sso-sessions.js';
import type { Client } from '../storage/storage.js';
import { displayName } from '../users/display-name.js';

interface LogoutRequest {
  client: Client | undefined;
  /** Validated against the client's registered logout URLs; never an open redirect. */
  redirectUri: string | undefined;
  state: string | undefined;
  /** The id_token_hint's claims, when it was signed by this issuer. */
  hint: Record<string, unknown> | undefined;
  /** `everywhere=true` (a Warden extension): end every session of the user, on every device. */
  everywhere: boolean;
}

/**
 * `GET|POST /logout`: OpenID Connect RP-Initiated Logout 1.0. With an `id_token_hint` for the
 * current session the user is signed out at once; otherwise a confirmation page asks (so a
 * third-party page cannot sign users out). `/v2/logout` accepts Auth0's `returnTo`. With
 * `everywhere=true` every session of the signed-in user ends, on every device ("log out
 * everywhere"), under the same rule: at once only with a matching hint, else after confirmation.
 */
export async function handleLogout(ctx: ServerContext, request: Request): Promise<Response> {
  const params =
    request.method === 'POST' ? await readFormBody(request, ctx.config.maxBodySize) : readQuery(request);
  const logout = await checkLogoutRequest(ctx, params);
  const session = await ctx.sso.load(request);
  if (!session) return finishLogout(logout, []);
  const hintMatches =
    logout.hint !== undefined &&
    (logout.hint.sid === session.sid ||
      (logout.hint.sid === undefined && logout.hint.sub === session.userId));
  if (hintMatches) return finishLogout(logout, [await endSessions(ctx, session, logout)]);
  const user = await ctx.storage.users.get(session.userId);
  const hidden: Record<string, string> = {};
  if (logout.client) hidden.client_id = logout.client.clientId;
  if (logout.redirectUri) hidden.post_logout_redirect_uri = logout.redirectUri;
  if (logout.state) hidden.state = logout.state;
  if (logout.everywhere) hidden.everywhere = 'true';
  return htmlResponse(
    LogoutPage({
      everywhere: logout.everywhere,
      ...(logout.client ? { clientName: logout.client.name } : {}),
      ...(user ? { userName: displayName(user) } : {}),
      action: '/logout/confirm',
      csrfToken: sessionCsrfToken(session),
      hidden,
    }),
    200,
    [],
    logout.redirectUri ? [logout.redirectUri] : [],
  );
}

/**
 * `POST /logout/confirm`: the confirmation form of the logout page. `decision=confirm` ends the
 * session; `decision=cancel` keeps it and returns to the app (its validated
 * `post_logout_redirect_uri`, with `state`) or says the user is still signed in. Any other
 * decision is an `invalid_request` and changes nothing.
 */
export async function confirmLogout(ctx: ServerContext, request: Request): Promise<Response> {
  checkFormOrigin(ctx, request);
  const params = await readFormBody(request, ctx.config.maxBodySize);
  const logout = await checkLogoutRequest(ctx, params);
  const decision = params.get('decision');
  if (decision !== 'confirm' && decision !== 'cancel') {
    throw new OAuthError('invalid_request', 'decision must be "confirm" or "cancel"');
  }
  const session = await ctx.sso.load(request);
  if (!session) return finishLogout(logout, []);
  checkSessionCsrf(session, params.get('csrf_token'));
  if (decision === 'cancel') return cancelLogout(ctx, logout, session);
  return finishLogout(logout, [await endSessions(ctx, session, logout)]);
}

/** The user chose to stay signed in: back to the app when it gave a return address. */
async function cancelLogout(
  ctx: ServerContext,
  logout: LogoutRequest,
  session: SsoSession,
): Promise<Response> {
  if (logout.redirectUri) return finishLogout(logout, []);
  const user = await ctx.storage.users.get(session.userId);
  return htmlResponse(StillSignedInPage(user ? { userName: displayName(user) } : {}));
}

/**
 * Ends this session and, with `everywhere`, every other session of the same user too; records the
 * sign-out (`slo`) with the app that asked for it, when one did.
 */
async function endSessions(ctx: ServerContext, session: SsoSession, logout: LogoutRequest): Promise<string> {
  const cookie = await endSession(ctx, session);
  const others = logout.everywhere ? await endEverySession(ctx, session.userId) : 0;
  const user = await ctx.storage.users.get(session.userId);
  await ctx.audit.record({
    type: 'slo',
    ...(logout.client ? clientFields(logout.client) : {}),
    ...(user ? userFields(user) : { userId: session.userId }),
    description: logout.everywhere ? 'Signed out everywhere' : 'Signed out',
    ...(logout.everywhere ? { details: { everywhere: true, other_sessions: others } } : {}),
  });
  return cookie;
}

async function checkLogoutRequest(ctx: ServerContext, params: Params): Promise<LogoutRequest> {
  const hint = await readIdTokenHint(ctx, params.get('id_token_hint'));
  const clientId = params.get('client_id') ?? (typeof hint?.aud === 'string' ? hint.aud : undefined);
  if (hint && params.get('client_id') && hint.aud !== params.get('client_id')) {
    throw new OAuthError('invalid_request', 'client_id does not match the id_token_hint');
  }
  const client = clientId ? await ctx.registry.client(clientId) : undefined;
  if (clientId && !client) throw new OAuthError('invalid_request', 'unknown client_id');
  const redirectUri = params.get('post_logout_redirect_uri') ?? params.get('returnTo');
  if (redirectUri !== undefined && !client?.postLogoutRedirectUris.includes(redirectUri)) {
    throw new OAuthError(
      'invalid_request',
      client
        ? 'post_logout_redirect_uri is not registered for this client'
        : 'post_logout_redirect_uri needs client_id or id_token_hint',
    );
  }
  const everywhere = params.get('everywhere');
  if (everywhere !== undefined && everywhere !== 'true' && everywhere !== 'false') {
    throw new OAuthError('invalid_request', 'everywhere must be "true" or "false"');
  }
  return { client, redirectUri, state: params.get('state'), hint, everywhere: everywhere === 'true' };
}

/**
 * An id_token_hint must be signed by this issuer; it may have expired (OIDC RP-Initiated Logout
 * §2). Its `aud` (a client id to look up), `sub` and `sid` must be strings without control
 * characters, like any client id a request names.
 */
async function readIdTokenHint(
  ctx: ServerContext,
  hint: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (hint === undefined) return undefined;
  try {
    await verifyCompactJws(hint, await ctx.keys.verificationKeys(), { maxSize: ctx.config.maxTokenSize });
  } catch {
    throw new OAuthError('invalid_request', 'id_token_hint is not a valid id token of this issuer');
  }
  const { payload } = decodeJwt(hint);
  if (payload.iss !== ctx.config.issuer)
    throw new OAuthError('invalid_request', 'id_token_hint is from another issuer');
  const audiences: unknown[] = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (![payload.sub, payload.sid, ...audiences].every(isAbsentOrIdentifier))
    throw new OAuthError('invalid_request', 'id_token_hint is not a valid id token of this issuer');
  return payload as Record<string, unknown>;
}

function isAbsentOrIdentifier(value: unknown): boolean {
  return value === undefined || (typeof value === 'string' && !hasControlCharacter(value));
}

function finishLogout(logout: LogoutRequest, cookies: string[]): Response {
  if (logout.redirectUri) {
    const url = new URL(logout.redirectUri);
    if (logout.state) url.searchParams.set('state', logout.state);
    const headers = new Headers({ location: url.toString(), 'cache-control': 'no-store' });
    for (const cookie of cookies) headers.append('set-cookie', cookie);
    return new Response(null, { status: 303, headers });
  }
  return htmlResponse(LoggedOutPage(logout.client ? { clientName: logout.client.name } : {}), 200, cookies);
}
