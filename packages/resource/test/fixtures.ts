import { constants, createHmac, createPrivateKey, createPublicKey, sign as signWithNode } from 'node:crypto';
import {
  encodeBase64Url,
  encryptCompact,
  type GeneratedKey,
  generateEncryptionKey,
  generateSigningKey,
  type ImportedKey,
  importKey,
  type PublicJwk,
  randomToken,
  type SigningAlg,
  signJwt,
} from '@warden/protocol';
import { inject } from 'vitest';
import type { RevocationView } from '../src/revocation-view.js';
import type { VerifierOptions } from '../src/verifier-options.js';

export const ISSUER = 'http://localhost:3000/';
export const AUDIENCE = 'http://localhost:3001/api/';
export const JWKS_URI = 'http://localhost:3000/.well-known/jwks.json';
export const CLIENT_ID = 'dragons-spa';
export const REALM = 'dragons';

export type KeyName = 'rs256' | 'ps256' | 'es256' | 'eddsa' | 'retired' | 'attacker';

export interface Fixtures {
  keys: Record<KeyName, { generated: GeneratedKey<SigningAlg>; signing: ImportedKey }>;
  encryption: { generated: GeneratedKey<'ECDH-ES'>; public: ImportedKey };
  otherEncryption: { public: ImportedKey };
  /** What the fake issuer publishes: every key but `retired` and `attacker`. */
  jwks: { keys: PublicJwk[] };
}

let fixtures: Promise<Fixtures> | undefined;

/** Keys for every test, made once per test file. */
export function loadFixtures(): Promise<Fixtures> {
  fixtures ??= makeFixtures();
  return fixtures;
}

async function makeFixtures(): Promise<Fixtures> {
  const specs: [KeyName, SigningAlg, string][] = [
    ['rs256', 'RS256', 'rsa-1'],
    ['ps256', 'PS256', 'pss-1'],
    ['es256', 'ES256', 'ec-1'],
    ['eddsa', 'EdDSA', 'ed-1'],
    ['retired', 'RS256', 'rsa-0'],
    ['attacker', 'RS256', 'attacker-1'],
  ];
  const entries = await Promise.all(
    specs.map(async ([name, alg, kid]) => {
      const generated = await generateSigningKey(alg, { kid });
      return [name, { generated, signing: await importKey(generated.privateJwk) }] as const;
    }),
  );
  const keys = Object.fromEntries(entries) as Fixtures['keys'];
  const encryption = await generateEncryptionKey('ECDH-ES', { kid: 'enc-1' });
  const other = await generateEncryptionKey('ECDH-ES', { kid: 'enc-1' });
  return {
    keys,
    encryption: {
      generated: encryption as GeneratedKey<'ECDH-ES'>,
      public: await importKey(encryption.publicJwk),
    },
    otherEncryption: { public: await importKey(other.publicJwk) },
    jwks: {
      keys: (['rs256', 'ps256', 'es256', 'eddsa'] as const).map((name) => keys[name].generated.publicJwk),
    },
  };
}

/**
 * Where every fake clock of this package's tests starts, in epoch milliseconds (whole seconds):
 * the run's test epoch (`WARDEN_TEST_EPOCH`, see vitest.config.ts), the real time by default. Token
 * times and verifier clocks come from here, never from the real clock, so the suite passes
 * whatever today's date is and catches a component that reads the real clock instead of its own.
 */
export const EPOCH_MS = inject('testEpoch');

/** A clock the test moves by hand; pass `now` as the `clock` of what the test builds. */
export interface FakeClock {
  /** Milliseconds since the epoch, as a component's `clock` option wants them. */
  now: () => number;
  /** Moves the clock forward `seconds` (fractions allowed). */
  advance(seconds: number): void;
}

/** A fake clock standing at `start` (the test epoch by default) until the test moves it. */
export function createFakeClock(start = EPOCH_MS): FakeClock {
  let ms = start;
  return {
    now: () => ms,
    advance: (seconds) => {
      ms += seconds * 1000;
    },
  };
}

/** The test epoch in seconds: the `iat` of the tokens minted here. */
export function nowSeconds(): number {
  return Math.floor(EPOCH_MS / 1000);
}

/** The claims of a good access token for alice; `overrides` replace (undefined removes) claims. */
export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: 'alice',
    aud: AUDIENCE,
    iat: now,
    exp: now + 600,
    jti: randomToken(16),
    client_id: CLIENT_ID,
    scope: 'openid read:dragons',
    roles: ['reader'],
    permissions: ['read:dragons'],
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === undefined) delete claims[name];
    else claims[name] = value;
  }
  return claims;
}

/** A token as the issuer signs it (`typ: at+jwt` unless `typ` says otherwise; null leaves it out). */
export async function mintToken(
  f: Fixtures,
  overrides: Record<string, unknown> = {},
  options: { key?: KeyName; typ?: string | null } = {},
): Promise<string> {
  const { key = 'rs256', typ = 'at+jwt' } = options;
  return signJwt(accessClaims(overrides), f.keys[key].signing, typ === null ? {} : { typ });
}

/** A token encrypted to the API's key (or another one), as the issuer does for encrypting APIs. */
export async function encryptToken(f: Fixtures, inner: string, to: 'api' | 'other' = 'api'): Promise<string> {
  const key = to === 'api' ? f.encryption.public : f.otherEncryption.public;
  return encryptCompact(inner, key, { alg: 'ECDH-ES', cty: 'JWT', typ: 'at+jwt' });
}

/**
 * Signs exactly the given header and payload text with node:crypto, for tokens the protocol's
 * signer would never make (attack headers, duplicate claims).
 */
export function signRaw(
  headerText: string,
  payloadText: string,
  f: Fixtures,
  key: KeyName = 'rs256',
): string {
  const jwk = f.keys[key].generated.privateJwk;
  const input = `${encodeBase64Url(headerText)}.${encodeBase64Url(payloadText)}`;
  const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
  const alg = jwk.alg;
  const signature =
    alg === 'EdDSA'
      ? signWithNode(null, Buffer.from(input), privateKey)
      : alg === 'ES256'
        ? signWithNode('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
        : alg === 'PS256'
          ? signWithNode('sha256', Buffer.from(input), {
              key: privateKey,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: 32,
            })
          : signWithNode('sha256', Buffer.from(input), privateKey);
  return `${input}.${encodeBase64Url(signature)}`;
}

/** HS256 over header.payload with `secret` (the key-confusion attack uses a public key as secret). */
export function signHmac(header: object, payload: object, secret: string | Buffer): string {
  const input = `${encodeBase64Url(JSON.stringify(header))}.${encodeBase64Url(JSON.stringify(payload))}`;
  return `${input}.${encodeBase64Url(createHmac('sha256', secret).update(input).digest())}`;
}

/** The PEM of a published public key, as a key-confusion attacker would use it. */
export function publicPem(f: Fixtures, key: KeyName): string {
  return createPublicKey({ key: f.keys[key].generated.publicJwk as never, format: 'jwk' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

export interface FakeFetch {
  fetch: typeof fetch;
  /** Every URL asked for, in order. */
  calls: string[];
  /** What the JWKS URL answers next (default: the fixtures' JWKS with max-age 300). */
  respond: (url: string) => Response | Promise<Response>;
}

/** A fetch that serves the issuer's JWKS at JWKS_URI and 404 elsewhere, recording every call. */
export function createFakeFetch(jwks: object): FakeFetch {
  const fake: FakeFetch = {
    calls: [],
    respond: (url) =>
      url === JWKS_URI
        ? new Response(JSON.stringify(jwks), {
            headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
          })
        : new Response('not found', { status: 404 }),
    fetch: (async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fake.calls.push(url);
      return fake.respond(url);
    }) as typeof fetch,
  };
  return fake;
}

export const quietLogger = { warn: () => {}, error: () => {} };

/** A revocation view that revokes one jti and says it is current (or never synced, with `stale`). */
export function fakeRevocationView(options: { revokedJti?: string; stale?: boolean } = {}): RevocationView {
  return {
    isRevoked: (claims) => claims.jti === options.revokedJti,
    staleness: () => (options.stale ? null : 0),
  };
}

/** The verifier options every test starts from: on `clock`, by default one standing at the test epoch. */
export function baseOptions(fake: FakeFetch, clock: () => number = () => EPOCH_MS): VerifierOptions {
  return { issuer: ISSUER, audience: AUDIENCE, realm: REALM, fetch: fake.fetch, clock, logger: quietLogger };
}
