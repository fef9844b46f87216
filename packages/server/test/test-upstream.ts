import {
  beginUpstreamTransaction,
  completeUpstreamSignIn,
  failUpstreamSignIn,
  loadInteraction,
  takeUpstreamTransaction,
  type UpstreamMethod,
  type UpstreamProfile,
} from '../src/index.js';
import { apiId, authorizeUrl, type Browser, pkce, spaCallback, type TestServer } from './harness.js';

/** Where the test upstream "lives": the browser is sent there, and comes back to `/test-upstream/callback`. */
export const upstreamOrigin = 'https://upstream.test';

/**
 * An upstream sign-in method for the server's own tests: it speaks no protocol (that is
 * `@warden/connections`, tested against real upstreams), it only walks the server's part of a
 * sign-in — the transaction, the callback, who the user is — with the account the test says signed
 * in at the "upstream". `accounts` maps an account key to the profile the upstream reports.
 */
export function testUpstream(accounts: Record<string, Omit<UpstreamProfile, 'provider'>>): UpstreamMethod {
  return {
    types: ['test'],
    strategies: ['oidc'],
    async configure(_type, settings) {
      return {
        strategy: 'oidc',
        // `plain: true` makes it a connection of no preset, as a plain `oidc` one is.
        preset: settings.plain === true ? null : 'test',
        displayName: 'Test IdP',
        options: { ...settings },
        needsSecret: false,
      };
    },
    async start(ctx, start) {
      const { state, cookie } = await beginUpstreamTransaction(ctx, {
        interactionId: start.interaction.id,
        connection: start.connection.name,
        data: { prompt: start.interaction.request.prompt },
      });
      const location = new URL('/authorize', upstreamOrigin);
      location.searchParams.set('state', state);
      return new Response(null, {
        status: 303,
        headers: { location: location.toString(), 'set-cookie': cookie },
      });
    },
    routes: [
      {
        method: 'GET',
        path: '/test-upstream/callback',
        async handle(ctx, request) {
          const query = new URL(request.url).searchParams;
          const transaction = await takeUpstreamTransaction(ctx, request, query.get('state') ?? undefined);
          const interaction = await loadInteraction(ctx, transaction.interactionId);
          const connection = await ctx.registry.connection(transaction.connection);
          if (!connection) throw new Error('the connection went away');
          if (query.get('error') === 'access_denied') {
            return failUpstreamSignIn(
              ctx,
              interaction,
              'access_denied',
              'the user cancelled at the upstream',
            );
          }
          const account = accounts[query.get('account') ?? ''];
          if (!account) throw new Error(`no such test account: ${query.get('account')}`);
          return completeUpstreamSignIn(ctx, request, {
            interaction,
            connection,
            profile: { ...account, provider: 'test' },
            tokens: { access_token: `upstream-token-of-${account.id}` },
          });
        },
      },
    ],
  };
}

/** The state the test upstream was sent, from the redirect to it. */
export function upstreamState(response: Response): string {
  const location = new URL(response.headers.get('location') ?? '');
  if (location.origin !== upstreamOrigin) throw new Error(`not sent upstream: ${location}`);
  return location.searchParams.get('state')!;
}

/** The browser comes back from the upstream signed in as `account` (or with `error`). */
export function upstreamCallback(
  browser: Browser,
  state: string,
  answer: { account?: string; error?: string },
  headers: Record<string, string> = {},
) {
  const query = new URLSearchParams({ state, ...answer });
  return browser.get(`/test-upstream/callback?${query}`, headers);
}

/** `/authorize` for the SPA with PKCE; `extra` adds parameters (e.g. `connection`). */
export async function spaAuthorize(t: TestServer, browser: Browser, extra: Record<string, string> = {}) {
  const { verifier, challenge } = await pkce();
  const response = await browser.get(
    authorizeUrl({
      client_id: t.spa,
      redirect_uri: spaCallback,
      scope: 'openid profile email',
      audience: apiId,
      state: 'app-state',
      nonce: 'app-nonce',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    }),
  );
  return { response, verifier };
}
