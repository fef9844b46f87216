import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { EPOCH_MS, JWKS_URI, loadFixtures } from '../test/fixtures.js';
import { freshnessOf, JwksCache, type JwksCacheOptions } from './jwks-cache.js';

interface Harness {
  cache: JwksCache;
  calls: { url: string; init: RequestInit | undefined }[];
  warnings: string[];
  changes: number;
  /** Sets the fake clock, in seconds from the start (the test epoch). */
  at(seconds: number): void;
  /** What the JWKS URL answers from now on. */
  serve(respond: () => Response | Promise<Response>): void;
}

function jwksResponse(jwks: object, cacheControl: string | null = 'max-age=300'): Response {
  return new Response(JSON.stringify(jwks), {
    headers: {
      'content-type': 'application/json',
      ...(cacheControl !== null && { 'cache-control': cacheControl }),
    },
  });
}

function createHarness(jwks: object, options: Partial<JwksCacheOptions> = {}): Harness {
  let now = EPOCH_MS;
  let respond: () => Response | Promise<Response> = () => jwksResponse(jwks);
  const harness: Harness = {
    calls: [],
    warnings: [],
    changes: 0,
    at: (seconds) => {
      now = EPOCH_MS + seconds * 1000;
    },
    serve: (next) => {
      respond = next;
    },
    cache: undefined as unknown as JwksCache,
  };
  harness.cache = new JwksCache({
    uri: JWKS_URI,
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    fetch: (async (url: string, init?: RequestInit) => {
      harness.calls.push({ url, init });
      return respond();
    }) as typeof fetch,
    clock: () => now,
    cooldown: 12,
    timeout: 3000,
    maxAge: 600,
    logger: { warn: (_details, message) => harness.warnings.push(message ?? '') },
    onChange: () => {
      harness.changes++;
    },
    ...options,
  });
  return harness;
}

/** Resolves once `check` passes: for what a refresh started in the background leaves behind. */
const eventually = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 5 });

describe('JwksCache', () => {
  it('fetches and imports the keys once for many concurrent first requests', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    const results = await Promise.all(Array.from({ length: 20 }, () => h.cache.current()));
    expect(h.calls).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
    expect(results[0]!.get('rsa-1', 'RS256')).toBeDefined();
    expect(await h.cache.current()).toBe(results[0]);
    expect(h.calls).toHaveLength(1);
  });

  it('fetches only the configured URI and never follows a redirect', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    await h.cache.current();
    expect(h.calls[0]!.url).toBe(JWKS_URI);
    expect(h.calls[0]!.init?.redirect).toBe('error');
  });

  it('refetches for unknown key ids at most once per cooldown', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    await h.cache.current();
    h.at(1);
    await h.cache.refreshForUnknownKey();
    h.at(11.9);
    await h.cache.refreshForUnknownKey();
    expect(h.calls).toHaveLength(1);
    h.at(12);
    await h.cache.refreshForUnknownKey();
    expect(h.calls).toHaveLength(2);
    h.at(20);
    await Promise.all(Array.from({ length: 10 }, () => h.cache.refreshForUnknownKey()));
    expect(h.calls).toHaveLength(2);
  });

  it('shares one refetch between concurrent unknown key ids', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    await h.cache.current();
    h.at(30);
    await Promise.all(Array.from({ length: 10 }, () => h.cache.refreshForUnknownKey()));
    expect(h.calls).toHaveLength(2);
  });

  it('finds a key published after the first fetch', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    expect((await h.cache.current()).get('rsa-0', 'RS256')).toBeUndefined();
    h.serve(() => jwksResponse({ keys: [...f.jwks.keys, f.keys.retired.generated.publicJwk] }));
    h.at(13);
    const keys = await h.cache.refreshForUnknownKey();
    expect(keys?.get('rsa-0', 'RS256')).toBeDefined();
    expect(h.changes).toBe(1);
  });

  it.each([
    ['a 500', () => new Response('oops', { status: 500 })],
    ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
    ['a body that is not JSON', () => new Response('<html>')],
    ['a JWKS without usable keys', () => jwksResponse({ keys: [] })],
    ['a JWKS that is not a key set', () => jwksResponse({ keys: 'none' })],
  ])('keeps serving the last good key set after %s', async (_name, failure) => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    const good = await h.cache.current();
    h.serve(failure);
    h.at(13);
    expect(await h.cache.refreshForUnknownKey()).toBe(good);
    h.at(400);
    expect(await h.cache.current()).toBe(good);
    // That call started a background refresh; once it has failed (and said so), still the good set.
    await eventually(() => expect(h.warnings).toHaveLength(2));
    expect(await h.cache.current()).toBe(good);
    expect(h.warnings).toEqual(['JWKS fetch failed', 'JWKS fetch failed']);
    expect(h.changes).toBe(0);
  });

  it('answers 503 while no key set was ever loaded, and retries after the cooldown', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    h.serve(() => new Response('down', { status: 503 }));
    await expect(h.cache.current()).rejects.toMatchObject({ error: 'temporarily_unavailable', status: 503 });
    h.at(5);
    await expect(h.cache.current()).rejects.toMatchObject({ status: 503 });
    expect(h.calls).toHaveLength(1);
    h.serve(() => jwksResponse(f.jwks));
    h.at(12);
    expect((await h.cache.current()).get('rsa-1', 'RS256')).toBeDefined();
    expect(h.calls).toHaveLength(2);
  });

  it('refreshes in the background once Cache-Control max-age has passed', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    h.serve(() => jwksResponse(f.jwks, 'public, max-age=60'));
    const first = await h.cache.current();
    h.at(59);
    await h.cache.current();
    expect(h.calls).toHaveLength(1);
    h.serve(() => jwksResponse({ keys: [f.keys.es256.generated.publicJwk] }, 'max-age=60'));
    h.at(60);
    // The request that notices is answered at once with the keys in hand.
    expect(await h.cache.current()).toBe(first);
    expect(h.calls).toHaveLength(2);
    await eventually(() => expect(h.changes).toBe(1));
    const next = await h.cache.current();
    expect(next).not.toBe(first);
    expect(next.get('rsa-1', 'RS256')).toBeUndefined();
    expect(h.changes).toBe(1);
  });

  it('caps a long max-age at maxAge', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    h.serve(() => jwksResponse(f.jwks, 'max-age=31536000'));
    await h.cache.current();
    h.at(599);
    await h.cache.current();
    expect(h.calls).toHaveLength(1);
    h.at(600);
    await h.cache.current();
    expect(h.calls).toHaveLength(2);
  });

  it('does not refetch on every request for max-age=0 or no-store: the cooldown is the floor', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    h.serve(() => jwksResponse(f.jwks, 'no-store'));
    await h.cache.current();
    h.at(11);
    await h.cache.current();
    expect(h.calls).toHaveLength(1);
    h.at(12);
    await h.cache.current();
    expect(h.calls).toHaveLength(2);
  });

  it('does not import an unchanged JWKS again', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    const first = await h.cache.current();
    h.at(13);
    expect(await h.cache.refreshForUnknownKey()).toBe(first);
    expect(h.calls).toHaveLength(2);
    expect(h.changes).toBe(0);
  });

  it('gives up on a fetch that takes longer than the timeout', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks, {
      timeout: 50,
      fetch: ((_url: string, init?: RequestInit) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        })) as typeof fetch,
    });
    // The fetch never answers: only the timeout can end it, so reaching the 503 is the check.
    await expect(h.cache.current()).rejects.toMatchObject({ status: 503 });
    expect(h.warnings).toEqual(['JWKS fetch failed']);
  });

  it('refuses a response larger than 256 KiB', async () => {
    const f = await loadFixtures();
    const h = createHarness(f.jwks);
    h.serve(() => new Response(JSON.stringify({ keys: f.jwks.keys, padding: 'x'.repeat(300_000) })));
    await expect(h.cache.current()).rejects.toMatchObject({ status: 503 });
  });

  it('leaves out keys it cannot use and keeps the others', async () => {
    const f = await loadFixtures();
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const rsa = f.keys.rs256.generated.publicJwk;
    const { alg: _alg, ...withoutAlg } = f.keys.retired.generated.publicJwk;
    const h = createHarness(
      {
        keys: [
          rsa,
          { ...weak, kid: 'weak', alg: 'RS256' },
          { ...f.keys.es256.generated.publicJwk, kid: 'enc', use: 'enc', alg: 'ECDH-ES' },
          { ...f.keys.ps256.generated.publicJwk, alg: 'RS512' },
          withoutAlg,
          'not a key',
        ],
      },
      { algorithms: ['RS256', 'ES256'] },
    );
    const keys = await h.cache.current();
    expect(keys.keys.map((key) => key.kid).sort()).toEqual(['rsa-0', 'rsa-1']);
    // A key without alg is pinned to the one accepted algorithm that fits it.
    expect(keys.get('rsa-0', 'RS256')).toBeDefined();
    expect(h.warnings).toEqual(['JWKS keys left out']);
  });

  it('leaves out a key without alg when several accepted algorithms fit it', async () => {
    const f = await loadFixtures();
    const { alg: _alg, ...withoutAlg } = f.keys.retired.generated.publicJwk;
    const h = createHarness({ keys: [f.keys.rs256.generated.publicJwk, withoutAlg] });
    const keys = await h.cache.current();
    expect(keys.keys.map((key) => key.kid)).toEqual(['rsa-1']);
  });

  it('leaves out keys that share a kid', async () => {
    const f = await loadFixtures();
    const h = createHarness({
      keys: [
        f.keys.rs256.generated.publicJwk,
        { ...f.keys.es256.generated.publicJwk, kid: 'same' },
        { ...f.keys.eddsa.generated.publicJwk, kid: 'same' },
      ],
    });
    expect((await h.cache.current()).keys.map((key) => key.kid)).toEqual(['rsa-1']);
  });
});

describe('freshnessOf', () => {
  const options = { cooldown: 12, maxAge: 600 };
  it.each([
    [null, 600],
    ['public', 600],
    ['max-age=60', 60],
    ['public, max-age=300, stale-while-revalidate=60', 300],
    ['max-age="120"', 120],
    ['max-age=5', 12],
    ['max-age=0', 12],
    ['no-cache', 12],
    ['private, no-store', 12],
    ['max-age=86400', 600],
    ['s-maxage=60', 600],
  ])('%s → %i s', (header, seconds) => {
    expect(freshnessOf(header, options)).toBe(seconds);
  });
});
