import { OAuthError } from '@warden/protocol';
import type { VerifierLogger } from './verifier-options.js';
import { importVerificationKeys, type VerificationKeys } from './verify-signature.js';

export interface JwksCacheOptions {
  /** The one URL keys are fetched from. */
  uri: string;
  /** The JWS algorithms the verifier accepts: keys for other algorithms are left out. */
  algorithms: readonly string[];
  fetch: typeof fetch;
  /** Milliseconds since the epoch. */
  clock: () => number;
  /** Least seconds between two fetches (one refetch per cooldown for unknown key ids). */
  cooldown: number;
  /** Fetch timeout in ms (the whole response, body included). */
  timeout: number;
  /** Cap in seconds on the freshness a response's Cache-Control max-age may ask for. */
  maxAge: number;
  logger: VerifierLogger;
  /** Called after a fetch installed a key set that differs from the previous one. */
  onChange?: () => void;
}

/** Largest JWKS response read, in bytes. */
const MAX_JWKS_BYTES = 256 * 1024;
/** Largest number of keys read from one JWKS. */
const MAX_KEYS = 100;
const KEY_TYPE_OF: Record<string, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  RS384: { kty: 'RSA' },
  RS512: { kty: 'RSA' },
  PS256: { kty: 'RSA' },
  PS384: { kty: 'RSA' },
  PS512: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  ES384: { kty: 'EC', crv: 'P-384' },
  ES512: { kty: 'EC', crv: 'P-521' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  HS256: { kty: 'oct' },
  HS384: { kty: 'oct' },
  HS512: { kty: 'oct' },
};

/**
 * The issuer's signing keys, fetched from one configured URL and imported once per change.
 *
 * - `current()` gives the keys; the first call fetches them, and every caller waiting for that
 *   first fetch shares it. Once the keys are older than their freshness (the response's
 *   Cache-Control max-age, at least `cooldown`, at most `maxAge`, `maxAge` when absent) the next
 *   call starts a refresh in the background and still answers with the keys it has.
 * - `refreshForUnknownKey()` refetches for a token whose key is not in the set, at most once per
 *   `cooldown`; concurrent callers share one fetch.
 * - A failed fetch (network, timeout, status, body, no usable key) is logged and changes nothing:
 *   the last good key set keeps serving. The next attempt waits for the cooldown.
 * - A response identical to the previous one is not imported again.
 *
 * It fetches ONLY `uri`, never following redirects, and never a URL taken from a token (`jku`,
 * `x5u`, `iss`). Keys for algorithms the verifier does not accept, encryption keys and keys that
 * fail protocol's import checks are left out (logged); a key without `alg` is pinned to the one
 * accepted algorithm that fits its type, or left out when several fit.
 */
export class JwksCache {
  readonly #options: JwksCacheOptions;
  #keys: VerificationKeys | undefined;
  #body: string | undefined;
  #fetchedAt: number | null = null;
  #freshUntil = 0;
  #lastAttempt = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<void> | undefined;

  constructor(options: JwksCacheOptions) {
    this.#options = options;
  }

  /** When (ms since the epoch) the key set in use was last fetched successfully; null before. */
  get fetchedAt(): number | null {
    return this.#fetchedAt;
  }

  /**
   * The keys to verify with. Throws `OAuthError('temporarily_unavailable', 503)` only when no key
   * set was ever loaded (the first fetch failed and the cooldown has not passed yet, or the
   * retry failed too).
   */
  async current(): Promise<VerificationKeys> {
    const keys = this.#keys;
    if (keys !== undefined) {
      this.refreshIfStale();
      return keys;
    }
    if (this.#inFlight !== undefined) await this.#inFlight;
    else if (this.#mayFetch()) await this.#refresh();
    if (this.#keys === undefined) {
      throw new OAuthError('temporarily_unavailable', 'the signing keys could not be loaded', {
        status: 503,
      });
    }
    return this.#keys;
  }

  /** The keys when a set is loaded (starting a background refresh when stale), without waiting. */
  loaded(): VerificationKeys | undefined {
    if (this.#keys !== undefined) this.refreshIfStale();
    return this.#keys;
  }

  /**
   * Marks the keys stale and lifts the cooldown once, so the next use fetches at once: called
   * when the issuer revoked a key and new tokens will name keys this set has not seen.
   */
  expire(): void {
    this.#freshUntil = 0;
    this.#lastAttempt = Number.NEGATIVE_INFINITY;
  }

  /** Starts a background refresh when the keys are past their freshness; never waits. */
  refreshIfStale(): void {
    if (this.#keys !== undefined && this.#now() >= this.#freshUntil && this.#mayFetch()) void this.#refresh();
  }

  /**
   * Refetches because a token names a key the set lacks, unless a fetch started within the
   * cooldown (then the current keys, or the pending fetch's result, are returned).
   */
  async refreshForUnknownKey(): Promise<VerificationKeys | undefined> {
    if (this.#inFlight !== undefined) await this.#inFlight;
    else if (this.#mayFetch()) await this.#refresh();
    return this.#keys;
  }

  #now(): number {
    return this.#options.clock();
  }

  #mayFetch(): boolean {
    return this.#now() - this.#lastAttempt >= this.#options.cooldown * 1000;
  }

  #refresh(): Promise<void> {
    if (this.#inFlight === undefined) {
      this.#lastAttempt = this.#now();
      this.#inFlight = this.#fetchAndInstall().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  async #fetchAndInstall(): Promise<void> {
    const { uri, logger } = this.#options;
    try {
      const { body, cacheControl } = await this.#fetchBody();
      if (body !== this.#body || this.#keys === undefined) {
        const keys = await importUsableKeys(JSON.parse(body), this.#options);
        const changed = this.#keys !== undefined;
        this.#keys = keys;
        this.#body = body;
        if (changed) this.#options.onChange?.();
      }
      this.#fetchedAt = this.#now();
      this.#freshUntil = this.#fetchedAt + freshnessOf(cacheControl, this.#options) * 1000;
    } catch (error) {
      logger.warn(
        {
          jwksUri: uri,
          err: error instanceof Error ? error.message : String(error),
          keptLastGood: !!this.#keys,
        },
        'JWKS fetch failed',
      );
    }
  }

  async #fetchBody(): Promise<{ body: string; cacheControl: string | null }> {
    const { uri, timeout } = this.#options;
    const response = await this.#options.fetch(uri, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      redirect: 'error',
      // A network timeout, so real time, not the clock: a hung fetch ends after `timeout` ms of it.
      signal: AbortSignal.timeout(timeout),
    });
    if (response.status !== 200) throw new Error(`the JWKS answered ${response.status}`);
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > MAX_JWKS_BYTES) throw new Error('the JWKS is too large');
    const body = await response.text();
    if (body.length > MAX_JWKS_BYTES) throw new Error('the JWKS is too large');
    return { body, cacheControl: response.headers.get('cache-control') };
  }
}

/** Seconds a response stays fresh: its max-age within [cooldown (at least 1), maxAge]; maxAge without one. */
export function freshnessOf(
  cacheControl: string | null,
  options: { cooldown: number; maxAge: number },
): number {
  const floor = Math.max(options.cooldown, 1);
  if (cacheControl === null) return options.maxAge;
  if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(cacheControl)) return floor;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(cacheControl);
  if (!match) return options.maxAge;
  return Math.min(Math.max(Number(match[1]), floor), options.maxAge);
}

/**
 * Imports the keys of a fetched JWKS that can verify tokens for `algorithms`, leaving out (and
 * logging) the others. Throws when none is left.
 */
async function importUsableKeys(
  jwks: unknown,
  options: Pick<JwksCacheOptions, 'algorithms' | 'logger' | 'uri'>,
): Promise<VerificationKeys> {
  const list = (jwks as { keys?: unknown } | null)?.keys;
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray(list)) {
    throw new Error('the JWKS is not an object with a "keys" array');
  }
  const skipped: { kid: unknown; reason: string }[] = [];
  const candidates = selectCandidates(list.slice(0, MAX_KEYS), options.algorithms, skipped);
  let keys: VerificationKeys;
  try {
    keys = await importVerificationKeys({ keys: candidates });
  } catch {
    keys = await importOneByOne(candidates, skipped);
  }
  if (skipped.length > 0) options.logger.warn({ jwksUri: options.uri, skipped }, 'JWKS keys left out');
  if (keys.keys.length === 0) throw new Error('the JWKS has no usable key');
  return keys;
}

function selectCandidates(
  list: unknown[],
  algorithms: readonly string[],
  skipped: { kid: unknown; reason: string }[],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const kids = new Map<unknown, number>();
  for (const item of list) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
    const jwk = item as Record<string, unknown>;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const alg = jwk.alg ?? inferAlg(jwk, algorithms);
    if (alg === undefined) {
      skipped.push({ kid: jwk.kid, reason: 'no alg, and not exactly one accepted algorithm fits' });
      continue;
    }
    if (typeof alg !== 'string' || !algorithms.includes(alg)) continue;
    kids.set(jwk.kid, (kids.get(jwk.kid) ?? 0) + 1);
    out.push({ ...jwk, alg });
  }
  return out.filter((jwk) => {
    if (jwk.kid === undefined || kids.get(jwk.kid) === 1) return true;
    skipped.push({ kid: jwk.kid, reason: 'kid shared by several keys' });
    return false;
  });
}

function inferAlg(jwk: Record<string, unknown>, algorithms: readonly string[]): string | undefined {
  const fitting = algorithms.filter((alg) => {
    const type = KEY_TYPE_OF[alg];
    return type !== undefined && type.kty === jwk.kty && (type.crv === undefined || type.crv === jwk.crv);
  });
  return fitting.length === 1 ? fitting[0] : undefined;
}

async function importOneByOne(
  candidates: Record<string, unknown>[],
  skipped: { kid: unknown; reason: string }[],
): Promise<VerificationKeys> {
  const usable: Record<string, unknown>[] = [];
  for (const jwk of candidates) {
    try {
      await importVerificationKeys({ keys: [jwk] });
      usable.push(jwk);
    } catch (error) {
      skipped.push({ kid: jwk.kid, reason: error instanceof Error ? error.message : 'not importable' });
    }
  }
  return importVerificationKeys({ keys: usable });
}
