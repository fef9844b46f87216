import type { PendingInteraction } from '../authorize/interactions.js';
import type { ServerContext } from '../server-context.js';
import type { Client, Connection, ConnectionStrategy } from '../storage/storage.js';

/**
 * What an administrator gives for a connection (the CLI's flags, a registration file's
 * `connections:` entry), less what the server handles itself (name, display name, enabled clients,
 * the client secret, `trustEmail`, `storeTokens`).
 */
export type UpstreamSettings = Record<string, unknown>;

/** What `UpstreamMethod.configure` makes of an administrator's settings, ready to store. */
export interface ConfiguredConnection {
  strategy: Exclude<ConnectionStrategy, 'database'>;
  /** The preset the settings came from (`github`…), or null for a plain `oidc` / `oauth2`. */
  preset: string | null;
  /** The login button's default label ("Continue with …") when the administrator gives none. */
  displayName: string;
  /** The strategy's settings to store (never a secret). */
  options: Record<string, unknown>;
  /** Whether the upstream needs a client secret (an OpenID Provider with PKCE alone may not). */
  needsSecret: boolean;
}

/** Where a sign-in at an upstream begins: the pending interaction and the connection chosen. */
export interface UpstreamStart {
  request: Request;
  interaction: PendingInteraction;
  client: Client;
  connection: Connection;
  /** The upstream client secret, opened (undefined when the connection has none). */
  clientSecret: string | undefined;
}

/** A route an upstream method answers under the issuer, e.g. `GET /login/callback`. */
export interface UpstreamRoute {
  method: 'GET' | 'POST';
  path: string;
  /** Errors thrown here are shown on the hosted error page, never as a 500. */
  handle(ctx: ServerContext, request: Request): Promise<Response>;
}

/**
 * A way of signing in at upstream identity providers, for connections of its strategies. The
 * server stores connections, shows their buttons, takes `/authorize?connection=NAME`, and decides
 * who signed in (`completeUpstreamSignIn`); a method speaks the upstream's protocol: it sends the
 * browser there (`start`) and takes it back (its `routes`). `@warden/connections` is the one
 * Warden ships (OpenID Connect and OAuth 2.0, with presets).
 */
export interface UpstreamMethod {
  /** The connection types an administrator may ask it for: strategies and presets (`oidc`, `github`…). */
  readonly types: readonly string[];
  /** The strategies of the stored connections it signs in with. */
  readonly strategies: readonly Exclude<ConnectionStrategy, 'database'>[];
  /**
   * Checks an administrator's settings for `type` and returns what to store; throws `AdminError`
   * naming the setting that is wrong. May reach the upstream (OpenID discovery) to check it.
   */
  configure(type: string, settings: UpstreamSettings): Promise<ConfiguredConnection>;
  /** Sends the browser to the upstream to sign in for this interaction. */
  start(ctx: ServerContext, start: UpstreamStart): Promise<Response>;
  readonly routes: readonly UpstreamRoute[];
}
