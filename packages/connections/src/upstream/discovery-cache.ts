import type { CustomFetch, ExportedJWKSCache } from 'openid-client';
import { UpstreamUnavailableError, unavailableReason } from './upstream-fetch.js';

const MAX_ENTRIES = 512;

/**
 * This process's cache of OpenID discovery documents and signing keys, per URL and issuer. A
 * document is reused for `ttl` milliseconds of `clock`; only a 200 JSON answer is kept (failures
 * are asked again at once). Keys are kept in openid-client's own cache format, which refetches them
 * after 5 minutes or at once for an unknown `kid` (key rotation). Bounded: the oldest entry goes
 * when it is full. Nothing here is shared between processes, nor needs to be.
 */
export class DiscoveryCache {
  readonly #documents = new Map<string, { body: string; at: number }>();
  readonly #jwks = new Map<string, ExportedJWKSCache>();

  constructor(
    private readonly ttl: number,
    private readonly clock: () => number,
    private readonly timeout: number,
  ) {}

  /** `fetch`, but a GET of a `/.well-known/` document is answered from the cache while fresh. */
  discoveryFetch(fetch: CustomFetch): CustomFetch {
    return async (url, init) => {
      if (init.method !== 'GET' || !new URL(url).pathname.includes('/.well-known/')) return fetch(url, init);
      const now = this.clock();
      const hit = this.#documents.get(url);
      if (hit && now - hit.at < this.ttl && now >= hit.at) return json(hit.body);
      const response = await fetch(url, init);
      const type = response.headers.get('content-type') ?? '';
      if (this.ttl === 0 || response.status !== 200 || !/^application\/(?:[\w.+-]+\+)?json/i.test(type)) {
        return response;
      }
      let body: string;
      try {
        body = await response.text();
      } catch (error) {
        throw new UpstreamUnavailableError(
          new URL(url).origin,
          unavailableReason(error, this.timeout),
          error,
        );
      }
      remember(this.#documents, url, { body, at: now });
      return json(body);
    };
  }

  /** The signing keys last seen for `issuer`, in openid-client's cache format. */
  jwks(issuer: string): ExportedJWKSCache | undefined {
    return this.#jwks.get(issuer);
  }

  saveJwks(issuer: string, jwks: ExportedJWKSCache | undefined): void {
    if (jwks) remember(this.#jwks, issuer, jwks);
  }
}

function json(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
}
