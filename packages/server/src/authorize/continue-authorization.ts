import { type OAuthError, randomToken } from '@warden/protocol';
import { ACCOUNT_CLIENT_ID, ACCOUNT_PATH } from '../account/account-client.js';
import { nowSeconds } from '../config.js';
import { DATABASE_CONNECTION } from '../connections/database-connection.js';
import { CONNECTION_START_PATH } from '../connections/start-connection.js';
import type { ServerContext } from '../server-context.js';
import type { SsoSession } from '../sso/sso-sessions.js';
import type { Client } from '../storage/storage.js';
import { issueUserTokens } from '../token/issue-user-tokens.js';
import { hashToken } from '../tokens/hash-token.js';
import type { AuthorizationRequest } from './authorization-request.js';
import { authorizationResponse } from './authorization-response.js';
import { deleteInteraction, saveInteraction } from './interactions.js';

export interface Progress {
  /** The interaction this request came back through (after the login or consent page). */
  interactionId?: string;
  /** Set when the user signed in during this interaction (satisfies prompt=login and max_age). */
  freshLogin?: boolean;
  /** Set when the user just granted consent. */
  consented?: boolean;
  /** Cookies to set with the response (e.g. the session just started). */
  cookies?: string[];
}

/**
 * Decides what an accepted authorization request needs next: a login, a consent, or nothing, in
 * which case the code (or the legacy implicit tokens) go back to the client.
 */
export async function continueAuthorization(
  ctx: ServerContext,
  request: AuthorizationRequest,
  client: Client,
  session: SsoSession | undefined,
  progress: Progress = {},
): Promise<Response> {
  const now = nowSeconds(ctx.config);
  const user = session ? await ctx.storage.users.get(session.userId) : undefined;
  const tooOld = session && request.maxAge !== undefined && now - session.authTime > request.maxAge;
  const loginAsked = request.prompt.includes('login') || request.prompt.includes('select_account');
  if (!session || !user || user.blocked || (!progress.freshLogin && (loginAsked || tooOld))) {
    if (request.prompt.includes('none'))
      return sendError(ctx, request, 'login_required', 'the user must sign in');
    return redirectToPage(ctx, request, progress, '/u/login');
  }
  if (!progress.consented && (await needsConsent(ctx, request, client))) {
    const consent = await ctx.storage.consents.get(user.id, client.clientId);
    const wanted = !consent || consentScopes(request).some((scope) => !consent.scopes.includes(scope));
    if (wanted || request.prompt.includes('consent')) {
      if (request.prompt.includes('none')) {
        return sendError(ctx, request, 'consent_required', 'the user must approve this application');
      }
      return redirectToPage(ctx, request, progress, '/u/consent');
    }
  }
  if (progress.interactionId) await deleteInteraction(ctx, progress.interactionId);
  const response =
    request.clientId === ACCOUNT_CLIENT_ID
      ? // The idp's own account page: the session just started is all it needs, no code.
        new Response(null, { status: 303, headers: { location: ACCOUNT_PATH, 'cache-control': 'no-store' } })
      : request.responseType === 'code'
        ? await issueCode(ctx, request, session, now)
        : await issueImplicit(ctx, request, client, session, user);
  for (const cookie of progress.cookies ?? []) response.headers.append('set-cookie', cookie);
  return response;
}

/**
 * Whether the user must have consented to what the client asks: always for a third-party client;
 * for a first-party one, when the API it asks a token for does not let first-party clients skip
 * consent (Auth0's "Allow Skipping User Consent" off).
 */
async function needsConsent(
  ctx: ServerContext,
  request: AuthorizationRequest,
  client: Client,
): Promise<boolean> {
  if (client.thirdParty) return true;
  if (!request.audience) return false;
  const api = await ctx.registry.api(request.audience);
  return api !== undefined && !api.skipConsent;
}

async function issueCode(
  ctx: ServerContext,
  request: AuthorizationRequest,
  session: SsoSession,
  now: number,
): Promise<Response> {
  const code = randomToken(32);
  await ctx.storage.codes.insert({
    codeHash: hashToken(code),
    clientId: request.clientId,
    userId: session.userId,
    redirectUri: request.redirectUri,
    scope: request.scopes.join(' '),
    audience: request.audience,
    nonce: request.nonce ?? null,
    codeChallenge: request.codeChallenge ?? null,
    authTime: session.authTime,
    sid: session.sid,
    expiresAt: now + ctx.config.ttl.authorizationCode,
    consumedAt: null,
    issuedJti: null,
    issuedFamilyId: null,
  });
  return authorizationResponse(request, ctx.config.issuer, { code });
}

/** The article's `response_type=token id_token`, for clients that turned it on by name. */
async function issueImplicit(
  ctx: ServerContext,
  request: AuthorizationRequest,
  client: Client,
  session: SsoSession,
  user: NonNullable<Awaited<ReturnType<ServerContext['storage']['users']['get']>>>,
): Promise<Response> {
  ctx.config.logger.warn({ client_id: client.clientId }, 'legacy implicit flow used');
  const scopes = request.scopes.filter((scope) => scope !== 'offline_access');
  const issued = await issueUserTokens(ctx, {
    client,
    user,
    scopes,
    audience: request.audience,
    sid: session.sid,
    authTime: session.authTime,
    nonce: request.nonce,
  });
  const params: Record<string, string | undefined> = { id_token: issued.body.id_token };
  if (request.responseType === 'id_token token') {
    Object.assign(params, {
      access_token: issued.body.access_token,
      token_type: 'Bearer',
      expires_in: String(issued.body.expires_in),
      scope: issued.body.scope,
    });
  }
  return authorizationResponse(request, ctx.config.issuer, params);
}

async function redirectToPage(
  ctx: ServerContext,
  request: AuthorizationRequest,
  progress: Progress,
  page: '/u/login' | '/u/consent',
): Promise<Response> {
  const id = progress.interactionId ?? (await saveInteraction(ctx, request));
  // `connection=NAME` of an upstream goes straight there; the password database to the form.
  const upstream = page === '/u/login' && request.connection && request.connection !== DATABASE_CONNECTION;
  const location = new URL(upstream ? CONNECTION_START_PATH : page, ctx.config.issuer);
  location.searchParams.set('interaction', id);
  if (upstream) location.searchParams.set('connection', request.connection!);
  const headers = new Headers({ location: location.toString(), 'cache-control': 'no-store' });
  for (const cookie of progress.cookies ?? []) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

/** Sends an error to the client's redirect URI (it was validated before the request got here). */
export function sendError(
  ctx: ServerContext,
  request: Pick<AuthorizationRequest, 'redirectUri' | 'responseMode' | 'state'>,
  error: OAuthError['error'],
  description: string,
): Response {
  return authorizationResponse(request, ctx.config.issuer, { error, error_description: description });
}

/** What a consent covers: the scopes, and the API as `aud:<identifier>`. */
export function consentScopes(request: Pick<AuthorizationRequest, 'scopes' | 'audience'>): string[] {
  return request.audience === null ? request.scopes : [...request.scopes, `aud:${request.audience}`];
}
