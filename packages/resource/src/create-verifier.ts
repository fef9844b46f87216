import type { VerifyJwtOptions } from '@warden/protocol';
import {
  ACCESS_TOKEN_REQUIRED_CLAIMS,
  decryptCompactJwe,
  importKeySet,
  isJweAlg,
  isOAuthError,
  type KeySet,
  OAuthError,
  tryDecodeBase64Url,
} from '@warden/protocol';
import { JwksCache } from './jwks-cache.js';
import { type Principal, toPrincipalOwning } from './principal.js';
import { followRevocations, type RevocationView } from './revocation-view.js';
import { TokenCache } from './token-cache.js';
import { checkHeaderCredential, findToken, type RequestLike } from './token-locations.js';
import {
  readVerifierOptions,
  type TokenLocation,
  type VerifierOptions,
  type VerifierSettings,
} from './verifier-options.js';
import { importVerificationKeys, type VerificationKeys, verifySignature } from './verify-signature.js';

/** Where the verifier stands, for health checks and metrics. */
export interface VerifierStatus {
  /** When (ms since the epoch) the JWKS in use was fetched; null with static keys or before the first fetch. */
  jwksFetchedAt: number | null;
  /** How many verified tokens are remembered. */
  cachedTokens: number;
  revocation: { lastSeq: number; staleness: number | null; connected: boolean } | null;
}

/** Verifies bearer tokens for one API. Build it with `createVerifier`. */
export interface Verifier {
  /**
   * Reads the token from the request (see `extractToken`) and verifies it. Throws `OAuthError`:
   * 401/400 `invalid_request` (no token, malformed or several), 401 `invalid_token` (any check
   * failed, revoked), 503 `temporarily_unavailable` (no signing keys could ever be loaded, or the
   * revocation view is stale and `failClosed` is on).
   */
  verify(request: RequestLike): Promise<Principal>;
  /**
   * `verify` without a promise when the answer is at hand (a remembered token, or a new one whose
   * keys are loaded): returns the principal or throws the same `OAuthError` synchronously. It
   * returns a promise only while keys are fetched or a token is decrypted. The adapters use it
   * when a verifier has it, to spare every request a few promise hops.
   */
  verifyNow?(request: RequestLike): Principal | Promise<Principal>;
  /** Verifies a token string, with the same checks and errors as `verify`. */
  verifyToken(token: string): Promise<Principal>;
  status(): VerifierStatus;
  /**
   * Loads the keys (the first JWKS fetch, or the static and decryption keys) and waits for the
   * revocation view's first sync. Rejects when keys cannot be loaded; call it at start-up to
   * fail fast. Verification does not need it.
   */
  ready(): Promise<void>;
  /** Stops following the revocation feed the verifier started. */
  close(): Promise<void>;
  /** The `realm` of this verifier's challenges. */
  readonly realm: string;
  /** Where this verifier reads tokens from; adapters parse bodies only when it includes `body`. */
  readonly tokenLocations: readonly TokenLocation[];
}

/** What one verification produced, remembered per token string. */
interface VerifiedToken {
  principal: Principal;
  /** The key that signed it, for key revocation. */
  kid: string | undefined;
  /** When (epoch seconds) it stops being valid: `exp`, or earlier with `maxTokenAge`. */
  until: number;
  /** The revocation view's `revision` when it last said "not revoked" (remembered tokens ask once per revision). */
  checkedRevision: number | undefined;
}

interface KeySource {
  current(): Promise<VerificationKeys>;
  /** The keys when a set is loaded (starting a refresh when they are stale), without waiting. */
  loaded(): VerificationKeys | undefined;
  refreshForUnknownKey(): Promise<VerificationKeys | undefined>;
  refreshIfStale(): void;
  /** Lets the next use fetch at once, cooldown or not (a signing key was revoked: new keys are out). */
  expire?(): void;
  readonly fetchedAt: number | null;
}

const STALE_WARNING_INTERVAL = 60_000;
const LEGACY_CLAIMS = Object.freeze(['sub']);
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Distinct header segments remembered by `peekHeader` (an issuer has one per signing key). */
const PEEKED_HEADERS = 32;

/**
 * Creates the verifier of one API. The options are checked at once (`TypeError` naming the bad
 * one; see `VERIFIER_DEFAULTS` for defaults); keys are fetched on first use or by `ready()`.
 *
 * Every token, in order: size; with `decryptionKeys`, a compact JWE decrypted with protocol's
 * `decryptCompactJwe` (a plain JWS is refused), otherwise a JWE is refused; the signing key from
 * the JWKS by `kid` and `alg` (one refetch per cooldown for an unknown `kid`); protocol's
 * `verifyJwt`: form, canonical base64url, `alg` never `none`, in `algorithms` and equal to the
 * key's pinned `alg`, no `crit`, the signature, a payload without duplicate claims, `iss`, `aud`,
 * `exp`, `nbf`, `iat` with `clockTolerance`, `maxTokenAge`, `typ`; the RFC 9068 claims (`sub`,
 * `client_id`, `iat`, `jti`) in `at+jwt` mode; the claim types of protocol's
 * `readAccessTokenClaims` (`scope`, `roles`, `permissions`, identifiers without control
 * characters, whole-second times).
 * A token verified a second time (while the cache's admission filter still knows it) is
 * remembered until its `exp`; a token used once is not stored. Revocation is checked on every
 * request (for a remembered token, once per change of the revocation view when it has a
 * `revision`).
 *
 * It does NOT read `jku`, `x5u`, `jwk` or `x5c`, fetch anything but `jwksUri` (and the
 * revocation feed), check scopes or roles (that is `requireScopes` and friends, per route),
 * check DPoP or mTLS sender constraints, or look up anything per request.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const settings = readVerifierOptions(options);
  return new TokenVerifier(settings);
}

/** True for a value made by `createVerifier` (or anything shaped like it). */
export function isVerifier(value: unknown): value is Verifier {
  const verifier = value as Partial<Verifier> | null;
  return (
    typeof verifier === 'object' &&
    verifier !== null &&
    typeof verifier.verify === 'function' &&
    typeof verifier.verifyToken === 'function'
  );
}

/** The verifier given, or one made from options (then `owned`: the caller closes it). */
export function resolveVerifier(verifierOrOptions: Verifier | VerifierOptions): {
  verifier: Verifier;
  owned: boolean;
} {
  if (isVerifier(verifierOrOptions)) return { verifier: verifierOrOptions, owned: false };
  return { verifier: createVerifier(verifierOrOptions), owned: true };
}

class TokenVerifier implements Verifier {
  readonly #settings: Readonly<VerifierSettings>;
  readonly #keys: KeySource;
  readonly #decryptionKeys: Promise<KeySet> | undefined;
  readonly #cache: TokenCache<VerifiedToken>;
  readonly #revocation: RevocationView | undefined;
  readonly #ownsRevocation: boolean;
  /** The options of `verifySignature` but `currentTime`, made once. */
  readonly #jwtOptions: VerifyJwtOptions;
  /** `#jwtOptions` with `currentTime` of the second they were made for. */
  #jwtOptionsNow: VerifyJwtOptions | undefined;
  readonly #peekedHeaders = new Map<string, PeekedHeader | undefined>();
  #lastStaleWarning = Number.NEGATIVE_INFINITY;

  constructor(settings: Readonly<VerifierSettings>) {
    this.#settings = settings;
    this.#jwtOptions = {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: settings.algorithms,
      clockTolerance: settings.clockTolerance,
      maxSize: settings.maxTokenSize,
      ...(settings.maxTokenAge !== undefined && { maxTokenAge: settings.maxTokenAge }),
      ...(settings.typ === 'at+jwt' && { typ: 'at+jwt' }),
      requiredClaims: settings.typ === 'at+jwt' ? ACCESS_TOKEN_REQUIRED_CLAIMS : LEGACY_CLAIMS,
    };
    this.#cache = new TokenCache(settings.cacheEntries);
    this.#keys = this.#createKeySource();
    this.#decryptionKeys = settings.decryptionKeys && importDecryptionKeys(settings.decryptionKeys);
    this.#decryptionKeys?.catch(() => {});
    const { revocation } = settings;
    this.#ownsRevocation = revocation !== false && revocation.view === undefined;
    this.#revocation =
      revocation === false
        ? undefined
        : (revocation.view ??
          followRevocations({
            feedUrl: revocation.feedUrl!,
            fetch: settings.fetch,
            clock: settings.clock,
            logger: settings.logger,
            onKeyRevoked: () => this.#keys.expire?.(),
          }));
    if (new URL(settings.issuer).protocol === 'http:') {
      settings.logger.warn(
        { issuer: settings.issuer },
        'the issuer is plain http on localhost: for development only, never in production',
      );
    }
  }

  get realm(): string {
    return this.#settings.realm;
  }

  get tokenLocations(): readonly TokenLocation[] {
    return this.#settings.tokenLocations;
  }

  verify(request: RequestLike): Promise<Principal> {
    try {
      return Promise.resolve(this.verifyNow(request));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  verifyNow(request: RequestLike): Principal | Promise<Principal> {
    return this.#verifyNow(findToken(request, this.#settings.tokenLocations, false), true);
  }

  verifyToken(token: string): Promise<Principal> {
    try {
      return Promise.resolve(this.#verifyNow(token, false));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // A remembered token, or a new one whose key is loaded, is checked synchronously; only a key
  // fetch (or decryption) is waited for. `fromRequest`: the token came from `findToken` without
  // the shape check, done here only when the token is not remembered (a remembered one passed it).
  #verifyNow(token: string, fromRequest: boolean): Principal | Promise<Principal> {
    if (typeof token !== 'string') throw new OAuthError('invalid_token', 'the token must be a string');
    const now = Math.floor(this.#settings.clock() / 1000);
    const verified = this.#cache.get(token, now);
    if (verified !== undefined) {
      // Remembered tokens skip the key lookup, so keys past their freshness are refreshed from here.
      this.#keys.refreshIfStale();
      return this.#accept(verified);
    }
    if (fromRequest) checkHeaderCredential(token);
    const result = this.#verifyUncached(token, now);
    if (result instanceof Promise) return result.then((later) => this.#remember(token, later));
    return this.#remember(token, result);
  }

  status(): VerifierStatus {
    const view = this.#revocation;
    return {
      jwksFetchedAt: this.#keys.fetchedAt,
      cachedTokens: this.#cache.size,
      revocation:
        view === undefined
          ? null
          : { lastSeq: view.lastSeq ?? 0, staleness: view.staleness(), connected: view.connected ?? false },
    };
  }

  async ready(): Promise<void> {
    await this.#keys.current();
    await this.#decryptionKeys;
    await this.#revocation?.ready?.();
  }

  async close(): Promise<void> {
    this.#cache.clear();
    if (this.#ownsRevocation) await this.#revocation?.close?.();
  }

  #createKeySource(): KeySource {
    const { keySource, algorithms, fetch, clock, jwks, logger } = this.#settings;
    if (keySource.kind === 'static') return createStaticKeys(keySource.jwks);
    return new JwksCache({
      uri: keySource.uri,
      algorithms,
      fetch,
      clock,
      ...jwks,
      logger,
      onChange: () => this.#cache.clear(),
    });
  }

  #remember(token: string, verified: VerifiedToken): Principal {
    this.#cache.offer(token, verified, verified.until);
    return this.#accept(verified);
  }

  #accept(verified: VerifiedToken): Principal {
    this.#checkRevocation(verified);
    return verified.principal;
  }

  /** Checks a token not remembered: synchronously when its keys are at hand. */
  #verifyUncached(token: string, now: number): VerifiedToken | Promise<VerifiedToken> {
    if (token.length > this.#settings.maxTokenSize) fail('the token is too large');
    if (this.#decryptionKeys === undefined) {
      if (countDots(token) === 4) fail('encrypted tokens are not accepted by this API');
      const keys = this.#keys.loaded();
      if (keys !== undefined && !this.#lacksKeyFor(token, keys)) return this.#check(token, keys, now);
    }
    return this.#verifyLater(token, now);
  }

  async #verifyLater(token: string, now: number): Promise<VerifiedToken> {
    const jws = await this.#unwrap(token);
    return this.#check(jws, await this.#keysFor(jws), now);
  }

  #check(jws: string, keys: VerificationKeys, now: number): VerifiedToken {
    const settings = this.#settings;
    try {
      const { header, payload, key } = verifySignature(jws, keys, this.#jwtOptionsAt(now));
      if (settings.typ === 'any-jwt') checkLegacyTyp(header.typ);
      const principal = toPrincipalOwning(payload, 'bearer');
      const ageLimit =
        settings.maxTokenAge !== undefined && payload.iat !== undefined
          ? payload.iat + settings.maxTokenAge
          : Number.POSITIVE_INFINITY;
      return { principal, kid: key.kid, until: Math.min(payload.exp, ageLimit), checkedRevision: undefined };
    } catch (error) {
      throw this.#asTokenError(error);
    }
  }

  /** The signed token inside: the token itself, or the plaintext of a JWE when the API decrypts. */
  async #unwrap(token: string): Promise<string> {
    const encrypted = countDots(token) === 4;
    if (this.#decryptionKeys === undefined) {
      if (encrypted) fail('encrypted tokens are not accepted by this API');
      return token;
    }
    if (!encrypted) fail('this API accepts only encrypted tokens');
    const keys = await this.#decryptionKeys;
    try {
      const { plaintext } = await decryptCompactJwe(token, keys, { maxSize: this.#settings.maxTokenSize });
      return utf8.decode(plaintext);
    } catch (error) {
      throw this.#asTokenError(error);
    }
  }

  /** `#jwtOptions` with `currentTime: now`, made once per second so protocol checks them once. */
  #jwtOptionsAt(now: number): VerifyJwtOptions {
    const options = this.#jwtOptionsNow;
    if (options !== undefined && options.currentTime === now) return options;
    this.#jwtOptionsNow = { ...this.#jwtOptions, currentTime: now };
    return this.#jwtOptionsNow;
  }

  /** The current keys; refetched once per cooldown when the token names a key they lack. */
  async #keysFor(jws: string): Promise<VerificationKeys> {
    const keys = await this.#keys.current();
    if (!this.#lacksKeyFor(jws, keys)) return keys;
    return (await this.#keys.refreshForUnknownKey()) ?? keys;
  }

  /** True when the token's header names an accepted `alg` and a key `keys` does not have. */
  #lacksKeyFor(jws: string, keys: VerificationKeys): boolean {
    const header = this.#peekHeader(jws);
    if (header === undefined || !this.#settings.algorithms.includes(header.alg)) return false;
    return keys.get(header.kid, header.alg) === undefined;
  }

  /** `peekHeader`, remembered per header segment: an issuer's tokens share a few headers. */
  #peekHeader(jws: string): PeekedHeader | undefined {
    const segment = jws.slice(0, Math.max(0, jws.indexOf('.')));
    const peeked = this.#peekedHeaders;
    if (peeked.has(segment)) return peeked.get(segment);
    const header = peekHeader(segment);
    if (peeked.size >= PEEKED_HEADERS) peeked.clear();
    peeked.set(segment, header);
    return header;
  }

  #checkRevocation(verified: VerifiedToken): void {
    const view = this.#revocation;
    if (view === undefined) return;
    const revision = view.revision;
    if (revision === undefined || verified.checkedRevision !== revision) {
      if (view.isRevoked(verified.principal.claims, verified.kid)) fail('the token has been revoked');
      verified.checkedRevision = revision;
    }
    const revocation = this.#settings.revocation;
    if (revocation === false) return;
    const staleness = view.staleness();
    if (staleness !== null && staleness <= revocation.maxStaleness) return;
    if (revocation.failClosed) {
      throw new OAuthError('temporarily_unavailable', 'the revocation status of tokens is not known yet', {
        status: 503,
      });
    }
    const now = this.#settings.clock();
    if (now - this.#lastStaleWarning >= STALE_WARNING_INTERVAL) {
      this.#lastStaleWarning = now;
      this.#settings.logger.warn(
        { staleness, maxStaleness: revocation.maxStaleness },
        'the revocation view is stale; tokens are accepted without it (failClosed is off)',
      );
    }
  }

  /** Anything unexpected while checking a token still answers 401, never 500 (and is logged). */
  #asTokenError(error: unknown): OAuthError {
    if (isOAuthError(error)) return error;
    this.#settings.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'unexpected error while verifying a token',
    );
    return new OAuthError('invalid_token', 'the token could not be verified', { cause: error });
  }
}

function createStaticKeys(jwks: unknown): KeySource {
  const keys = importVerificationKeys(jwks).catch((error: unknown) => {
    throw new TypeError(`options.keys: ${error instanceof Error ? error.message : String(error)}`);
  });
  keys.catch(() => {});
  let loaded: VerificationKeys | undefined;
  keys.then(
    (imported) => {
      loaded = imported;
    },
    () => {},
  );
  return {
    current: () => keys,
    loaded: () => loaded,
    refreshForUnknownKey: () => keys,
    refreshIfStale: () => {},
    fetchedAt: null,
  };
}

async function importDecryptionKeys(jwks: unknown): Promise<KeySet> {
  let keys: KeySet;
  try {
    keys = await importKeySet(jwks);
  } catch (error) {
    throw new TypeError(`options.decryptionKeys: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!keys.keys.every((key) => key.isPrivate && isJweAlg(key.alg))) {
    throw new TypeError('options.decryptionKeys must hold private JWE keys');
  }
  return keys;
}

interface PeekedHeader {
  kid: string | undefined;
  alg: string;
}

/**
 * The `kid` and `alg` of a token's header segment, read without verifying anything: only to
 * decide whether to refetch keys.
 */
function peekHeader(segment: string): PeekedHeader | undefined {
  const bytes = tryDecodeBase64Url(segment);
  if (bytes === undefined) return undefined;
  try {
    const header = JSON.parse(utf8.decode(bytes)) as { kid?: unknown; alg?: unknown } | null;
    if (typeof header?.alg !== 'string') return undefined;
    if (header.kid !== undefined && typeof header.kid !== 'string') return undefined;
    return { kid: header.kid, alg: header.alg };
  } catch {
    return undefined;
  }
}

/** `any-jwt` mode: no `typ`, `JWT` or `at+jwt` (case-insensitive, `application/` optional). */
function checkLegacyTyp(typ: unknown): void {
  if (typ === undefined) return;
  const lower = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : '';
  if (lower !== 'jwt' && lower !== 'at+jwt') fail('unexpected typ');
}

function countDots(token: string): number {
  let dots = 0;
  for (let i = token.indexOf('.'); i >= 0 && dots < 5; i = token.indexOf('.', i + 1)) dots++;
  return dots;
}

function fail(description: string): never {
  throw new OAuthError('invalid_token', description);
}
