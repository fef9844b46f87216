import * as client from 'openid-client';
import type { ConnectionsConfig } from '../connections-config.js';
import { upstreamUrlProblem } from '../settings/upstream-url.js';
import { DiscoveryCache } from './discovery-cache.js';
import type { Upstream } from './resolve-upstream.js';
import { timedFetch } from './upstream-fetch.js';

/** The upstream's metadata cannot be used (an endpoint missing, or not https). */
export class UpstreamMetadataError extends Error {
  override name = 'UpstreamMetadataError';
}

/**
 * Makes openid-client `Configuration`s for upstreams: every call through the configured `fetch`
 * and timeout, ID tokens checked against the configured clock, discovery documents and signing
 * keys cached for this process.
 */
export class UpstreamClients {
  readonly #fetch: client.CustomFetch;
  readonly #cache: DiscoveryCache;
  /** openid-client's own timeout (whole seconds), left just behind ours so ours is the one that fires. */
  readonly #seconds: number;

  constructor(readonly config: ConnectionsConfig) {
    this.#fetch = timedFetch(config.fetch, config.timeout);
    this.#cache = new DiscoveryCache(config.discoveryTtl, config.clock, config.timeout);
    this.#seconds = Math.ceil(config.timeout / 1000) + 1;
  }

  /**
   * openid-client's view of `upstream`, authenticating at the token endpoint with `auth` (`None`
   * when only the authorization URL is needed). An OpenID Provider is discovered from its issuer
   * (the cached document while fresh; openid-client checks that it names that issuer, and Entra
   * ID's per-tenant issuers), then its endpoints must pass the rules of `upstreamUrlProblem` and
   * the endpoints the connection uses must exist; ID token signatures are verified with its JWKS. An OAuth 2.0 provider is made from its settings.
   * Throws openid-client's errors, `UpstreamUnavailableError` or `UpstreamMetadataError`.
   */
  async configuration(
    upstream: Upstream,
    auth: client.ClientAuth = client.None(),
  ): Promise<client.Configuration> {
    const metadata = { [client.clockSkew]: this.#skew() };
    let configuration: client.Configuration;
    if (upstream.strategy === 'oidc') {
      const issuer = new URL(upstream.issuer!);
      configuration = await client.discovery(issuer, upstream.clientId, metadata, auth, {
        [client.customFetch]: this.#cache.discoveryFetch(this.#fetch),
        timeout: this.#seconds,
        ...(issuer.protocol === 'http:' && { execute: [client.allowInsecureRequests] }),
      });
      checkDiscovered(configuration.serverMetadata(), upstream, this.config.allowInsecureLocalhost);
      // openid-client trusts TLS for an ID token from the token endpoint (OpenID Connect Core
      // 3.1.3.7 allows it); Warden verifies its signature against the upstream's JWKS all the same.
      client.enableNonRepudiationChecks(configuration);
      const jwks = this.#cache.jwks(upstream.issuer!);
      if (jwks) client.setJwksCache(configuration, jwks);
    } else {
      const authorization = upstream.authorizationEndpoint!;
      const server: client.ServerMetadata = {
        issuer: upstream.issuer ?? new URL(authorization).origin,
        authorization_endpoint: authorization,
        token_endpoint: upstream.tokenEndpoint!,
      };
      configuration = new client.Configuration(server, upstream.clientId, metadata, auth);
      const urls = [authorization, upstream.tokenEndpoint, upstream.profileEndpoint, upstream.emailsEndpoint];
      if (urls.some((url) => url?.startsWith('http:'))) client.allowInsecureRequests(configuration);
    }
    configuration[client.customFetch] = this.#fetch;
    configuration.timeout = this.#seconds;
    return configuration;
  }

  /** Keeps the signing keys `configuration` fetched, for the next sign-in with the same issuer. */
  remember(upstream: Upstream, configuration: client.Configuration): void {
    if (upstream.strategy === 'oidc')
      this.#cache.saveJwks(upstream.issuer!, client.getJwksCache(configuration));
  }

  /** How far the configured clock is from the real one, in whole seconds (openid-client's clock skew). */
  #skew(): number {
    return Math.floor(this.config.clock() / 1000) - Math.floor(Date.now() / 1000);
  }
}

/** The discovered endpoints this connection uses exist and are https (or allowed localhost http). */
function checkDiscovered(
  metadata: client.ServerMetadata,
  upstream: Upstream,
  allowInsecureLocalhost: boolean,
): void {
  const needed: [string, unknown][] = [
    ['authorization_endpoint', metadata.authorization_endpoint],
    ['token_endpoint', metadata.token_endpoint],
    ['jwks_uri', metadata.jwks_uri],
  ];
  if (upstream.userinfo) needed.push(['userinfo_endpoint', metadata.userinfo_endpoint]);
  for (const [name, value] of needed) {
    if (value === undefined) throw new UpstreamMetadataError(`its discovery document has no ${name}`);
    const problem = upstreamUrlProblem(value, allowInsecureLocalhost);
    if (problem) throw new UpstreamMetadataError(`its ${name} ${problem}`);
  }
}
