import { OAuthError } from '@warden/protocol';
import {
  completeUpstreamSignIn,
  failUpstreamSignIn,
  loadInteraction,
  openConnectionSecret,
  type PendingInteraction,
  readFormBody,
  readQuery,
  type ServerContext,
  takeUpstreamTransaction,
  type UpstreamProfile,
} from '@warden/server';
import * as client from 'openid-client';
import { clientAuthentication } from '../upstream/client-authentication.js';
import { resolveUpstream, type Upstream } from '../upstream/resolve-upstream.js';
import type { UpstreamClients } from '../upstream/upstream-clients.js';
import { upstreamFailure } from '../upstream/upstream-failure.js';
import { fetchOauth2Profile } from './fetch-oauth2-profile.js';
import { fetchOidcProfile } from './fetch-oidc-profile.js';
import { readSignInData, type SignInData } from './sign-in-data.js';

/** The token response fields kept for a connection that stores tokens. */
const KEPT_TOKEN_FIELDS = ['access_token', 'token_type', 'expires_in', 'refresh_token', 'id_token', 'scope'];

/**
 * `GET` / `POST /login/callback`: where every upstream sends the browser back (POST for
 * `response_mode=form_post`). Steps:
 * 1. the parameters, from the query or the form body (strictly parsed, as everywhere);
 * 2. the transaction `state` names, taken once and only in the browser that started it (else the
 *    error page): it says which interaction and which connection, never a parameter;
 * 3. the interaction, still pending, and the connection, still there;
 * 4. openid-client checks the answer (RFC 9207 `iss` when sent or advertised, `state`), exchanges
 *    the code (PKCE verifier, client authentication) and, for OpenID, checks the ID token (signature
 *    from the upstream's JWKS, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`, `auth_time` against
 *    `max_age`); `error=access_denied` from the upstream goes back to the app with its `state`;
 *    other upstream errors and every failure are a page (see `upstreamFailure`);
 * 5. the profile (ID token claims and userinfo, or the profile endpoint), mapped;
 * 6. the server decides who signed in and continues the authorization (`completeUpstreamSignIn`,
 *    which also refuses a connection no longer enabled for the app and a profile without an id).
 */
export async function handleCallback(
  clients: UpstreamClients,
  ctx: ServerContext,
  request: Request,
): Promise<Response> {
  const params = await readCallbackParams(ctx, request);
  const transaction = await takeUpstreamTransaction(ctx, request, params.get('state') ?? undefined);
  const interaction = await loadInteraction(ctx, transaction.interactionId);
  const connection = await ctx.registry.connection(transaction.connection);
  if (!connection || connection.strategy === 'database') {
    throw new OAuthError(
      'access_denied',
      'This way of signing in was removed meanwhile. Go back to the application and sign in again.',
      { status: 403 },
    );
  }
  const upstream = resolveUpstream(connection, clients.config.allowInsecureLocalhost);
  const data = readSignInData(transaction.data);
  let signedIn: { profile: UpstreamProfile; tokens: Record<string, unknown> };
  try {
    const auth = await clientAuthentication(
      upstream,
      openConnectionSecret(ctx.config, connection),
      clients.config.clock(),
    );
    const configuration = await clients.configuration(upstream, auth);
    signedIn = await exchangeCode(clients, ctx, upstream, configuration, data, params);
  } catch (error) {
    if (error instanceof client.AuthorizationResponseError) {
      return upstreamRefused(ctx, interaction, upstream, error);
    }
    throw upstreamFailure(error, upstream, ctx.config.logger);
  }
  return completeUpstreamSignIn(ctx, request, {
    interaction,
    connection,
    profile: signedIn.profile,
    tokens: signedIn.tokens,
  });
}

async function readCallbackParams(ctx: ServerContext, request: Request): Promise<URLSearchParams> {
  const params =
    request.method === 'POST' ? await readFormBody(request, ctx.config.maxBodySize) : readQuery(request);
  return new URLSearchParams(params.toObject());
}

async function exchangeCode(
  clients: UpstreamClients,
  ctx: ServerContext,
  upstream: Upstream,
  configuration: client.Configuration,
  data: SignInData,
  params: URLSearchParams,
): Promise<{ profile: UpstreamProfile; tokens: Record<string, unknown> }> {
  // The answer as openid-client reads it: the redirect URI it was sent to, with its parameters.
  const answer = new URL(data.redirectUri);
  for (const [name, value] of params) answer.searchParams.append(name, value);
  // A plain OAuth 2.0 connection without a known issuer has nothing to check an `iss` against.
  if (upstream.strategy === 'oauth2' && upstream.issuer === undefined) answer.searchParams.delete('iss');
  const tokens = await client.authorizationCodeGrant(configuration, answer, {
    expectedState: params.get('state')!,
    ...(data.verifier !== undefined && { pkceCodeVerifier: data.verifier }),
    ...(data.nonce !== undefined && { expectedNonce: data.nonce }),
    ...(data.maxAge !== undefined && { maxAge: data.maxAge }),
    idTokenExpected: upstream.strategy === 'oidc',
  });
  const profile =
    upstream.strategy === 'oidc'
      ? await fetchOidcProfile(upstream, configuration, tokens, params)
      : await fetchOauth2Profile(upstream, configuration, tokens.access_token, ctx.config.logger);
  clients.remember(upstream, configuration);
  const kept: Record<string, unknown> = {};
  for (const field of KEPT_TOKEN_FIELDS) if (tokens[field] !== undefined) kept[field] = tokens[field];
  return { profile, tokens: kept };
}

/**
 * The upstream answered with an error instead of a code. The user cancelling (`access_denied`)
 * goes back to the app as `access_denied` with its `state`; anything else is a page.
 */
async function upstreamRefused(
  ctx: ServerContext,
  interaction: PendingInteraction,
  upstream: Upstream,
  error: client.AuthorizationResponseError,
): Promise<Response> {
  ctx.config.logger.info({ connection: upstream.connection, error: error.error }, 'upstream refused sign-in');
  if (error.error === 'access_denied') {
    return failUpstreamSignIn(
      ctx,
      interaction,
      'access_denied',
      `Signing in with ${upstream.displayName} was cancelled or refused.`,
    );
  }
  const code = /^[\w.-]{1,64}$/.test(error.error) ? ` (${error.error})` : '';
  if (error.error === 'temporarily_unavailable') {
    throw new OAuthError(
      'temporarily_unavailable',
      `${upstream.displayName} cannot sign you in right now. Try again in a few minutes, or sign in another way.`,
      { status: 503 },
    );
  }
  throw new OAuthError(
    'access_denied',
    `${upstream.displayName} could not sign you in${code}. Go back to the application and try again, or sign in another way.`,
    { status: 502 },
  );
}
