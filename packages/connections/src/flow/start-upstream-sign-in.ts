import { beginUpstreamTransaction, type ServerContext, type UpstreamStart } from '@warden/server';
import * as client from 'openid-client';
import { appleClientSecret } from '../upstream/apple-client-secret.js';
import { resolveUpstream, type Upstream } from '../upstream/resolve-upstream.js';
import type { UpstreamClients } from '../upstream/upstream-clients.js';
import { upstreamFailure } from '../upstream/upstream-failure.js';
import { callbackUrl } from './callback-url.js';
import type { SignInData } from './sign-in-data.js';

/**
 * Sends the browser to the connection's upstream (303) to sign in for the pending interaction:
 * authorization code with PKCE (S256) unless the connection turns it off, a fresh `state` bound to
 * this browser by the transaction cookie, an OpenID `nonce`, the redirect URI `<issuer>login/callback`.
 * Passes on what the app asked: `login_hint` (under the upstream's parameter name, when it has
 * one), `prompt=login` / `select_account` (the upstream is asked to authenticate the user again),
 * and for OpenID `max_age`. An upstream whose discovery fails is a page (503 or 502), before the
 * browser leaves.
 */
export async function startUpstreamSignIn(
  clients: UpstreamClients,
  ctx: ServerContext,
  { interaction, connection, clientSecret }: UpstreamStart,
): Promise<Response> {
  const upstream = resolveUpstream(connection, clients.config.allowInsecureLocalhost);
  let configuration: client.Configuration;
  try {
    // Apple's key is checked now, so a broken one shows before the user signs in at Apple.
    if (upstream.clientSecret === 'apple-jwt')
      await appleClientSecret(upstream, clientSecret, clients.config.clock());
    configuration = await clients.configuration(upstream);
  } catch (error) {
    throw upstreamFailure(error, upstream, ctx.config.logger);
  }
  const request = interaction.request;
  const data: SignInData = { redirectUri: callbackUrl(ctx) };
  if (upstream.pkce) data.verifier = client.randomPKCECodeVerifier();
  if (upstream.strategy === 'oidc') {
    data.nonce = client.randomNonce();
    if (request.maxAge !== undefined) data.maxAge = request.maxAge;
  }
  const { state, cookie } = await beginUpstreamTransaction(ctx, {
    interactionId: interaction.id,
    connection: connection.name,
    data: { ...data },
  });
  const url = client.buildAuthorizationUrl(
    configuration,
    await authorizationParams(upstream, data, state, request),
  );
  return new Response(null, {
    status: 303,
    headers: { location: url.href, 'cache-control': 'no-store', 'set-cookie': cookie },
  });
}

async function authorizationParams(
  upstream: Upstream,
  data: SignInData,
  state: string,
  request: UpstreamStart['interaction']['request'],
): Promise<Record<string, string>> {
  const params: Record<string, string> = {
    response_type: 'code',
    redirect_uri: data.redirectUri,
    scope: upstream.scopes.join(' '),
    state,
  };
  if (data.verifier !== undefined) {
    params.code_challenge = await client.calculatePKCECodeChallenge(data.verifier);
    params.code_challenge_method = 'S256';
  }
  if (data.nonce !== undefined) params.nonce = data.nonce;
  if (data.maxAge !== undefined) params.max_age = String(data.maxAge);
  if (upstream.responseMode) params.response_mode = upstream.responseMode;
  const prompt = request.prompt.filter((value) => value === 'login' || value === 'select_account');
  if (prompt.length > 0) params.prompt = prompt.join(' ');
  if (request.loginHint !== undefined && upstream.loginHintParameter !== null) {
    params[upstream.loginHintParameter] = request.loginHint;
  }
  return params;
}
