import type { ServerContext, UpstreamMethod } from '@warden/server';
import { type ConnectionsOptions, resolveConnectionsConfig } from './connections-config.js';
import { CALLBACK_PATH } from './flow/callback-url.js';
import { handleCallback } from './flow/handle-callback.js';
import { startUpstreamSignIn } from './flow/start-upstream-sign-in.js';
import { PRESETS } from './presets/presets.js';
import { configureConnection } from './settings/configure-connection.js';
import { UpstreamClients } from './upstream/upstream-clients.js';

/**
 * The upstream sign-in method Warden ships: connections to any OpenID Provider (`oidc`, from its
 * issuer, with openid-client as the relying party), to OAuth 2.0 providers without OpenID
 * (`oauth2`: endpoints and a profile mapping), and the presets over those two (`google`, `github`,
 * `facebook`, `microsoft`, `apple`, `x`, `gitlab`, `discord`). Give it to the server:
 *
 * ```ts
 * createAuthorizationServer({ ..., upstream: [createConnections()] });
 * ```
 *
 * Every upstream sends the browser back to `<issuer>login/callback` (GET, or POST for `form_post`).
 * Options: see `ConnectionsOptions` (checked now: a `TypeError` names a wrong one).
 */
export function createConnections(options: ConnectionsOptions = {}): UpstreamMethod {
  const clients = new UpstreamClients(resolveConnectionsConfig(options));
  const callback = (ctx: ServerContext, request: Request) => handleCallback(clients, ctx, request);
  const method: UpstreamMethod = {
    types: Object.freeze(['oidc', 'oauth2', ...Object.keys(PRESETS)]),
    strategies: Object.freeze(['oidc', 'oauth2'] as const),
    configure: (type, settings) => configureConnection(clients, type, settings),
    start: (ctx, start) => startUpstreamSignIn(clients, ctx, start),
    routes: Object.freeze([
      Object.freeze({ method: 'GET' as const, path: CALLBACK_PATH, handle: callback }),
      Object.freeze({ method: 'POST' as const, path: CALLBACK_PATH, handle: callback }),
    ]),
  };
  return Object.freeze(method);
}
