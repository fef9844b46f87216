import { isJwsAlg, JWS_ALGORITHMS } from '@warden/protocol';
import { isRevocationView, type RevocationView } from './revocation-view.js';

/** Where a bearer token may be read from (RFC 6750 §2). */
export type TokenLocation = 'header' | 'body' | 'query';

/** Where the verifier reports trouble (a pino logger fits). */
export interface VerifierLogger {
  warn(details: object, message?: string): void;
  error?(details: object, message?: string): void;
}

/** A JSON Web Key Set as published: `{ keys: [...] }`. */
export interface JwkSet {
  keys: readonly Record<string, unknown>[];
}

/** How the verifier follows the issuer's revocation feed. */
export interface RevocationOptions {
  /** The feed to follow. Default `${issuer}oauth/revocations`. */
  feedUrl?: string;
  /** A view built elsewhere (e.g. one follower shared by several verifiers) instead of `feedUrl`. */
  view?: RevocationView;
  /** Seconds the view may lag before it counts as stale. Default 30 (two missed heartbeats). */
  maxStaleness?: number;
  /**
   * When the view is stale (or was never current): true answers 503 `temporarily_unavailable`;
   * false (default) accepts the token and logs a warning at most once a minute.
   */
  failClosed?: boolean;
}

export interface VerifierOptions {
  /** The issuer, compared exactly with `iss`. https, except on localhost. */
  issuer: string;
  /** The API's identifier(s): `aud` must contain one of them. */
  audience: string | readonly string[];
  /** Where the signing keys are published. Default `${issuer}.well-known/jwks.json`; must share the issuer's origin. */
  jwksUri?: string;
  /** Static verification keys instead of fetching a JWKS (nothing is fetched). */
  keys?: JwkSet;
  /** Accepted JWS algorithms. Default RS256, PS256, ES256, EdDSA. HS* only with static `keys`. */
  algorithms?: readonly string[];
  /** Seconds of clock skew allowed on `exp`, `nbf`, `iat`. Default 5, at most 300. */
  clockTolerance?: number;
  /** Largest accepted token age in seconds since `iat`. Default: none. */
  maxTokenAge?: number;
  /** `at+jwt` (default, RFC 9068) or `any-jwt`: also `typ: JWT` or no `typ`, for legacy issuers. */
  typ?: 'at+jwt' | 'any-jwt';
  /** Where tokens are read from. Default `['header']`. */
  tokenLocations?: readonly TokenLocation[];
  /** Largest token accepted, in bytes. Default 8192. */
  maxTokenSize?: number;
  /** The API's private JWE keys. When set, every token must be a JWE (five parts). */
  decryptionKeys?: JwkSet;
  jwks?: {
    /** Least seconds between two fetches of the JWKS. Default 12 (5 a minute). */
    cooldown?: number;
    /** Fetch timeout in ms. Default 3000. */
    timeout?: number;
    /** Cap, in seconds, on how long a fetched JWKS counts as fresh (its Cache-Control max-age). Default 600. */
    maxAge?: number;
  };
  cache?: {
    /** How many verified tokens are remembered; 0 turns the cache off. Default 10 000. */
    maxEntries?: number;
  };
  /** Follow the revocation feed. Default false (tokens stay valid until `exp`). */
  revocation?: false | RevocationOptions | RevocationView;
  /** The `realm` of WWW-Authenticate challenges. Default: the first audience. */
  realm?: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
  logger?: VerifierLogger;
}

/**
 * Every default of the verifier, in one place. `jwksUri`, `feedUrl` and `realm` default to values
 * derived from `issuer` and `audience` (see `VerifierOptions`).
 */
export const VERIFIER_DEFAULTS = Object.freeze({
  algorithms: Object.freeze(['RS256', 'PS256', 'ES256', 'EdDSA'] as const),
  clockTolerance: 5,
  maxTokenAge: undefined,
  typ: 'at+jwt' as const,
  tokenLocations: Object.freeze(['header'] as const),
  maxTokenSize: 8192,
  jwks: Object.freeze({ cooldown: 12, timeout: 3000, maxAge: 600 }),
  cache: Object.freeze({ maxEntries: 10_000 }),
  revocation: false as const,
  revocationFeed: Object.freeze({ path: 'oauth/revocations', maxStaleness: 30, failClosed: false }),
  jwksPath: '.well-known/jwks.json',
});

/** Options after defaults were applied and every value was checked. */
export interface VerifierSettings {
  issuer: string;
  audience: readonly string[];
  keySource: { kind: 'jwks'; uri: string } | { kind: 'static'; jwks: JwkSet };
  algorithms: readonly string[];
  clockTolerance: number;
  maxTokenAge: number | undefined;
  typ: 'at+jwt' | 'any-jwt';
  tokenLocations: readonly TokenLocation[];
  maxTokenSize: number;
  decryptionKeys: JwkSet | undefined;
  jwks: { cooldown: number; timeout: number; maxAge: number };
  cacheEntries: number;
  revocation:
    | false
    | {
        feedUrl: string | undefined;
        view: RevocationView | undefined;
        maxStaleness: number;
        failClosed: boolean;
      };
  realm: string;
  fetch: typeof fetch;
  clock: () => number;
  logger: VerifierLogger;
}

const OPTION_NAMES: ReadonlySet<string> = new Set([
  'issuer',
  'audience',
  'jwksUri',
  'keys',
  'algorithms',
  'clockTolerance',
  'maxTokenAge',
  'typ',
  'tokenLocations',
  'maxTokenSize',
  'decryptionKeys',
  'jwks',
  'cache',
  'revocation',
  'realm',
  'fetch',
  'clock',
  'logger',
]);
const LOCATIONS: ReadonlySet<string> = new Set(['header', 'body', 'query']);
const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);
const QUOTABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/;

const consoleLogger: VerifierLogger = {
  warn: (details, message) => console.warn(`[warden/resource] ${message ?? ''}`, details),
  error: (details, message) => console.error(`[warden/resource] ${message ?? ''}`, details),
};

/**
 * Applies `VERIFIER_DEFAULTS` and checks every option, throwing a `TypeError` that names the
 * first bad one. Returns frozen settings. It does NOT import keys or fetch anything.
 */
export function readVerifierOptions(options: VerifierOptions): Readonly<VerifierSettings> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`options.${name} is not a verifier option`);
  }
  const issuer = readIssuer(options.issuer);
  const keySource = readKeySource(options, issuer);
  const audience = readAudience(options.audience);
  const settings: VerifierSettings = {
    issuer,
    audience,
    keySource,
    algorithms: readAlgorithms(options.algorithms, keySource.kind),
    clockTolerance: readNumber(
      'clockTolerance',
      options.clockTolerance,
      VERIFIER_DEFAULTS.clockTolerance,
      0,
      300,
    ),
    maxTokenAge: readMaxTokenAge(options.maxTokenAge),
    typ: readTyp(options.typ),
    tokenLocations: readLocations(options.tokenLocations),
    maxTokenSize: readInteger(
      'maxTokenSize',
      options.maxTokenSize,
      VERIFIER_DEFAULTS.maxTokenSize,
      64,
      1 << 20,
    ),
    decryptionKeys:
      options.decryptionKeys === undefined ? undefined : readJwkSet('decryptionKeys', options.decryptionKeys),
    jwks: readJwksOptions(options.jwks),
    cacheEntries: readCacheEntries(options.cache),
    revocation: readRevocation(options.revocation, issuer),
    realm: readRealm(options.realm, audience[0]!),
    fetch: readFunction('fetch', options.fetch, globalThis.fetch),
    // The real clock only when the caller gives none; every time the verifier, its JWKS cache and
    // its revocation follower read goes through this one function.
    clock: readFunction('clock', options.clock, Date.now),
    logger: readLogger(options.logger),
  };
  return Object.freeze(settings);
}

function readIssuer(issuer: unknown): string {
  const url = readUrl('issuer', issuer);
  if (url.search !== '' || url.hash !== '')
    throw new TypeError('options.issuer must not have a query or fragment');
  return issuer as string;
}

function readUrl(name: string, value: unknown): URL {
  if (typeof value !== 'string' || value === '') throw new TypeError(`options.${name} must be a URL string`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`options.${name} must be an absolute URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname)) return url;
  throw new TypeError(`options.${name} must be an https URL (http only on localhost)`);
}

function readKeySource(options: VerifierOptions, issuer: string): VerifierSettings['keySource'] {
  if (options.keys !== undefined) {
    if (options.jwksUri !== undefined)
      throw new TypeError('options.keys and options.jwksUri exclude each other');
    return { kind: 'static', jwks: readJwkSet('keys', options.keys) };
  }
  const uri = options.jwksUri ?? `${withSlash(issuer)}${VERIFIER_DEFAULTS.jwksPath}`;
  const url = readUrl('jwksUri', uri);
  if (url.origin !== new URL(issuer).origin)
    throw new TypeError("options.jwksUri must be on the issuer's origin");
  return { kind: 'jwks', uri: url.href };
}

function readAudience(audience: unknown): readonly string[] {
  const list = typeof audience === 'string' ? [audience] : audience;
  if (!Array.isArray(list) || list.length === 0 || !list.every((a) => typeof a === 'string' && a !== '')) {
    throw new TypeError('options.audience must be a non-empty string or a non-empty array of them');
  }
  return Object.freeze([...list]);
}

function readAlgorithms(algorithms: unknown, source: 'jwks' | 'static'): readonly string[] {
  if (algorithms === undefined) return VERIFIER_DEFAULTS.algorithms;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every(isJwsAlg)) {
    throw new TypeError(`options.algorithms must list JWS algorithms from: ${JWS_ALGORITHMS.join(', ')}`);
  }
  if (source === 'jwks' && algorithms.some((alg) => alg.startsWith('HS'))) {
    throw new TypeError('options.algorithms: HS256/HS384/HS512 need static options.keys (a JWKS is public)');
  }
  return Object.freeze([...new Set(algorithms)]);
}

function readMaxTokenAge(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError('options.maxTokenAge must be a positive number of seconds');
  }
  return value;
}

function readTyp(typ: unknown): 'at+jwt' | 'any-jwt' {
  if (typ === undefined) return VERIFIER_DEFAULTS.typ;
  if (typ !== 'at+jwt' && typ !== 'any-jwt') throw new TypeError("options.typ must be 'at+jwt' or 'any-jwt'");
  return typ;
}

function readLocations(locations: unknown): readonly TokenLocation[] {
  if (locations === undefined) return VERIFIER_DEFAULTS.tokenLocations;
  if (
    !Array.isArray(locations) ||
    locations.length === 0 ||
    !locations.every((l) => LOCATIONS.has(l)) ||
    new Set(locations).size !== locations.length
  ) {
    throw new TypeError("options.tokenLocations must list distinct values from 'header', 'body', 'query'");
  }
  return Object.freeze([...locations]);
}

function readJwkSet(name: string, value: unknown): JwkSet {
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== 'object' || value === null || !Array.isArray(keys) || keys.length === 0) {
    throw new TypeError(`options.${name} must be a JWK Set: { keys: [...] } with at least one key`);
  }
  if (!keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))) {
    throw new TypeError(`options.${name}.keys must hold JWK objects`);
  }
  return value as JwkSet;
}

function readJwksOptions(value: VerifierOptions['jwks']): VerifierSettings['jwks'] {
  if (value === undefined) return VERIFIER_DEFAULTS.jwks;
  if (typeof value !== 'object' || value === null) throw new TypeError('options.jwks must be an object');
  const defaults = VERIFIER_DEFAULTS.jwks;
  return Object.freeze({
    cooldown: readNumber('jwks.cooldown', value.cooldown, defaults.cooldown, 0, 3600),
    timeout: readInteger('jwks.timeout', value.timeout, defaults.timeout, 1, 60_000),
    maxAge: readNumber('jwks.maxAge', value.maxAge, defaults.maxAge, 1, 86_400),
  });
}

function readCacheEntries(value: VerifierOptions['cache']): number {
  if (value === undefined) return VERIFIER_DEFAULTS.cache.maxEntries;
  if (typeof value !== 'object' || value === null) throw new TypeError('options.cache must be an object');
  return readInteger('cache.maxEntries', value.maxEntries, VERIFIER_DEFAULTS.cache.maxEntries, 0, 10_000_000);
}

function readRevocation(value: unknown, issuer: string): VerifierSettings['revocation'] {
  if (value === undefined || value === false) return false;
  const defaults = VERIFIER_DEFAULTS.revocationFeed;
  if (isRevocationView(value)) {
    return {
      feedUrl: undefined,
      view: value,
      maxStaleness: defaults.maxStaleness,
      failClosed: defaults.failClosed,
    };
  }
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('options.revocation must be false, an object or a revocation view');
  }
  const options = value as RevocationOptions;
  if (options.view !== undefined && !isRevocationView(options.view)) {
    throw new TypeError('options.revocation.view must have isRevoked() and staleness()');
  }
  if (options.view !== undefined && options.feedUrl !== undefined) {
    throw new TypeError('options.revocation.view and options.revocation.feedUrl exclude each other');
  }
  const feedUrl =
    options.view === undefined
      ? readUrl('revocation.feedUrl', options.feedUrl ?? `${withSlash(issuer)}${defaults.path}`).href
      : undefined;
  if (options.failClosed !== undefined && typeof options.failClosed !== 'boolean') {
    throw new TypeError('options.revocation.failClosed must be a boolean');
  }
  return {
    feedUrl,
    view: options.view,
    maxStaleness: readNumber(
      'revocation.maxStaleness',
      options.maxStaleness,
      defaults.maxStaleness,
      0,
      86_400,
    ),
    failClosed: options.failClosed ?? defaults.failClosed,
  };
}

function readRealm(value: unknown, fallback: string): string {
  const realm = value ?? fallback;
  if (typeof realm !== 'string' || !QUOTABLE.test(realm)) {
    throw new TypeError('options.realm must be printable ASCII without " or \\');
  }
  return realm;
}

function readNumber(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`options.${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

function readInteger(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new TypeError(`options.${name} must be an integer from ${min} to ${max}`);
  }
  return value as number;
}

function readFunction<F>(name: string, value: unknown, fallback: F): F {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new TypeError(`options.${name} must be a function`);
  return value as F;
}

function readLogger(value: unknown): VerifierLogger {
  if (value === undefined) return consoleLogger;
  if (typeof (value as VerifierLogger | null)?.warn !== 'function') {
    throw new TypeError('options.logger must have a warn(details, message) method');
  }
  return value as VerifierLogger;
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
