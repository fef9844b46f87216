import { describe, expect, it, vi } from 'vitest';
import {
  AUDIENCE,
  baseOptions,
  createFakeClock,
  createFakeFetch,
  EPOCH_MS,
  encryptToken,
  type FakeFetch,
  ISSUER,
  JWKS_URI,
  loadFixtures,
  mintToken,
  nowSeconds,
  quietLogger,
} from '../test/fixtures.js';
import { createVerifier, type Verifier } from './create-verifier.js';
import type { RevocationView } from './revocation-view.js';
import { VERIFIER_DEFAULTS, type VerifierOptions } from './verifier-options.js';

/** A verifier on a clock the test moves (from the test epoch), with a JWKS served by a fake fetch. */
async function setup(options: Partial<VerifierOptions> = {}) {
  const f = await loadFixtures();
  const fake = createFakeFetch(f.jwks);
  const clock = createFakeClock();
  const warnings: string[] = [];
  const verifier = createVerifier({
    ...baseOptions(fake, clock.now),
    logger: { warn: (_details, message) => warnings.push(message ?? '') },
    ...options,
  });
  return {
    f,
    fake,
    clock,
    verifier,
    warnings,
    /** Moves the clock forward. */
    wait: clock.advance,
  };
}

/** Verifies `token` twice, so the verifier remembers it (the cache admits a token on its second use). */
async function remember(verifier: Verifier, token: string): Promise<void> {
  const before = verifier.status().cachedTokens;
  await verifier.verifyToken(token);
  await verifier.verifyToken(token);
  expect(verifier.status().cachedTokens).toBe(before + 1);
}

function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (error: { error: string; status: number; description: string }) => ({
      error: error.error,
      status: error.status,
      description: error.description,
    }),
  );
}

describe('createVerifier options', () => {
  const fake: FakeFetch = createFakeFetch({ keys: [] });
  const base: VerifierOptions = {
    issuer: ISSUER,
    audience: AUDIENCE,
    fetch: fake.fetch,
    clock: () => EPOCH_MS,
    logger: quietLogger,
  };

  it.each<[string, Record<string, unknown>]>([
    ['options.issuer', { issuer: undefined }],
    ['options.issuer', { issuer: 'not a url' }],
    ['options.issuer', { issuer: 'http://idp.example/' }],
    ['options.issuer', { issuer: 'https://idp.example/?tenant=1' }],
    ['options.audience', { audience: undefined }],
    ['options.audience', { audience: [] }],
    ['options.audience', { audience: [''] }],
    ['options.jwksUri', { jwksUri: 'http://localhost:4000/jwks.json' }],
    ['options.jwksUri', { jwksUri: 'https://evil.example/jwks.json' }],
    ['options.keys', { keys: { keys: [] } }],
    ['options.keys', { keys: { keys: [{ kty: 'RSA' }] }, jwksUri: JWKS_URI }],
    ['options.algorithms', { algorithms: ['none'] }],
    ['options.algorithms', { algorithms: [] }],
    ['options.algorithms', { algorithms: ['RS256', 'HS256'] }],
    ['options.clockTolerance', { clockTolerance: -1 }],
    ['options.clockTolerance', { clockTolerance: 3600 }],
    ['options.maxTokenAge', { maxTokenAge: 0 }],
    ['options.typ', { typ: 'JWT' }],
    ['options.tokenLocations', { tokenLocations: ['cookie'] }],
    ['options.tokenLocations', { tokenLocations: ['header', 'header'] }],
    ['options.tokenLocations', { tokenLocations: [] }],
    ['options.maxTokenSize', { maxTokenSize: 1.5 }],
    ['options.decryptionKeys', { decryptionKeys: { keys: 'x' } }],
    ['options.jwks', { jwks: 12 }],
    ['options.jwks.cooldown', { jwks: { cooldown: -1 } }],
    ['options.jwks.timeout', { jwks: { timeout: 0 } }],
    ['options.jwks.maxAge', { jwks: { maxAge: 0 } }],
    ['options.cache.maxEntries', { cache: { maxEntries: -1 } }],
    ['options.revocation', { revocation: 'yes' }],
    ['options.revocation.feedUrl', { revocation: { feedUrl: 'ftp://localhost/feed' } }],
    ['options.revocation.view', { revocation: { view: {} } }],
    ['options.revocation.failClosed', { revocation: { failClosed: 'yes' } }],
    ['options.revocation.maxStaleness', { revocation: { maxStaleness: -5 } }],
    ['options.realm', { realm: 'a "quoted" realm' }],
    ['options.fetch', { fetch: 'fetch' }],
    ['options.clock', { clock: 0 }],
    ['options.logger', { logger: {} }],
    ['options.audiance', { audiance: AUDIENCE }],
  ])('refuses a bad %s with a TypeError naming it', (name, change) => {
    const options = { ...base, ...change };
    expect(() => createVerifier(options as VerifierOptions)).toThrow(TypeError);
    expect(() => createVerifier(options as VerifierOptions)).toThrow(name);
  });

  it('accepts the article-shaped minimum and fetches nothing at construction', () => {
    const verifier = createVerifier(base);
    expect(verifier.realm).toBe(AUDIENCE);
    expect(verifier.tokenLocations).toEqual(['header']);
    expect(fake.calls).toEqual([]);
  });

  it('documents its defaults in one frozen object', () => {
    expect(Object.isFrozen(VERIFIER_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(VERIFIER_DEFAULTS.jwks)).toBe(true);
    expect(Object.isFrozen(VERIFIER_DEFAULTS.algorithms)).toBe(true);
    expect(VERIFIER_DEFAULTS).toMatchObject({
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      clockTolerance: 5,
      typ: 'at+jwt',
      tokenLocations: ['header'],
      maxTokenSize: 8192,
      jwks: { cooldown: 12, timeout: 3000, maxAge: 600 },
      cache: { maxEntries: 10_000 },
      revocation: false,
    });
  });

  it('warns once that a plain-http issuer is for development', async () => {
    const { warnings } = await setup();
    expect(warnings).toEqual([
      'the issuer is plain http on localhost: for development only, never in production',
    ]);
  });
});

describe('verifyToken', () => {
  it('yields the principal of a valid access token', async () => {
    const { f, verifier } = await setup();
    const principal = await verifier.verifyToken(
      await mintToken(f, { scope: 'openid read:dragons', roles: ['admin'], permissions: ['read:orders'] }),
    );
    expect(principal).toMatchObject({
      sub: 'alice',
      clientId: 'dragons-spa',
      scopes: ['openid', 'read:dragons'],
      roles: ['admin'],
      permissions: ['read:orders'],
      via: 'bearer',
    });
    expect(principal.claims.iss).toBe(ISSUER);
  });

  it('fetches the JWKS from the issuer once for many tokens', async () => {
    const { f, fake, verifier } = await setup();
    await Promise.all(Array.from({ length: 10 }, async () => verifier.verifyToken(await mintToken(f))));
    expect(fake.calls).toEqual([JWKS_URI]);
    expect(verifier.status().jwksFetchedAt).not.toBeNull();
  });

  it('refetches at most once per cooldown however many unknown kids arrive', async () => {
    const { f, fake, verifier, wait } = await setup();
    await verifier.verifyToken(await mintToken(f));
    const forged = await mintToken(f, {}, { key: 'attacker' });
    for (let i = 0; i < 30; i++) {
      await expect(verifier.verifyToken(forged)).rejects.toMatchObject({ error: 'invalid_token' });
      wait(1);
    }
    // 30 s of unknown kids: the first fetch, then one refetch per 12 s cooldown (at 12 s and 24 s).
    expect(fake.calls.length).toBe(3);
  });

  it('does not refetch for a token whose alg is not accepted', async () => {
    const { f, fake, verifier, wait } = await setup({ algorithms: ['ES256'] });
    await verifier.verifyToken(await mintToken(f, {}, { key: 'es256' }));
    wait(60);
    await expect(refusal(verifier.verifyToken(await mintToken(f)))).resolves.toMatchObject({
      error: 'invalid_token',
    });
    expect(fake.calls).toHaveLength(1);
  });

  it('accepts a token signed by a key published after the first fetch (rotation)', async () => {
    const { f, fake, verifier, wait } = await setup();
    await verifier.verifyToken(await mintToken(f));
    fake.respond = () => Response.json({ keys: [...f.jwks.keys, f.keys.retired.generated.publicJwk] });
    wait(13);
    await expect(verifier.verifyToken(await mintToken(f, {}, { key: 'retired' }))).resolves.toMatchObject({
      sub: 'alice',
    });
  });

  it('remembers a token from its second use on, not one used once', async () => {
    const { f, verifier } = await setup();
    await verifier.ready();
    for (let i = 0; i < 20; i++) await verifier.verifyToken(await mintToken(f, { jti: `once-${i}` }));
    expect(verifier.status().cachedTokens).toBe(0);
    const token = await mintToken(f);
    await remember(verifier, token);
    await expect(verifier.verifyToken(token)).resolves.toMatchObject({ sub: 'alice' });
    expect(verifier.status().cachedTokens).toBe(1);
  });

  it('answers synchronously with verifyNow once the keys are loaded', async () => {
    const { f, verifier } = await setup();
    await verifier.ready();
    const token = await mintToken(f);
    const request = { method: 'GET', headers: { authorization: `Bearer ${token}` } };
    const first = verifier.verifyNow!(request);
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ sub: 'alice', via: 'bearer' });
    expect(() => verifier.verifyNow!({ method: 'GET', headers: {} })).toThrow(
      expect.objectContaining({ error: 'invalid_request', status: 401 }),
    );
    expect(() =>
      verifier.verifyNow!({ method: 'GET', headers: { authorization: `Bearer ${token}!` } }),
    ).toThrow(expect.objectContaining({ error: 'invalid_request', status: 400 }));
  });

  it('stops accepting a remembered token once its key leaves the JWKS', async () => {
    const { f, fake, clock, verifier, wait } = await setup();
    const token = await mintToken(f);
    await remember(verifier, token);
    fake.respond = () =>
      Response.json(
        { keys: [f.keys.es256.generated.publicJwk] },
        { headers: { 'cache-control': 'max-age=300' } },
      );
    wait(301);
    await verifier.verifyToken(token); // answered with the keys in hand while the refresh runs
    // The background refresh is done once the key set in use was fetched at the clock's new time.
    await vi.waitFor(() => expect(verifier.status().jwksFetchedAt).toBe(clock.now()), {
      timeout: 10_000,
      interval: 5,
    });
    await expect(refusal(verifier.verifyToken(token))).resolves.toMatchObject({ error: 'invalid_token' });
  });

  it('does not serve a remembered token past its exp', async () => {
    const { f, verifier, wait } = await setup({ clockTolerance: 0 });
    const now = nowSeconds();
    const token = await mintToken(f, { iat: now, exp: now + 30 });
    await remember(verifier, token);
    wait(31);
    await expect(refusal(verifier.verifyToken(token))).resolves.toMatchObject({
      error: 'invalid_token',
      description: 'the token has expired',
    });
  });

  it('checks revocation on every request, remembered tokens included', async () => {
    const revoked = new Set<string>();
    const view: RevocationView = {
      isRevoked: (claims) => revoked.has(claims.jti as string),
      staleness: () => 0,
    };
    const { f, verifier } = await setup({ revocation: view });
    const token = await mintToken(f, { jti: 'jti-1' });
    await remember(verifier, token);
    revoked.add('jti-1');
    await expect(refusal(verifier.verifyToken(token))).resolves.toEqual({
      error: 'invalid_token',
      status: 401,
      description: 'the token has been revoked',
    });
  });

  it('asks a view with a revision about a remembered token once per revision', async () => {
    const revoked = new Set<string>();
    let revision = 1;
    let asked = 0;
    const view: RevocationView = {
      isRevoked: (claims) => {
        asked++;
        return revoked.has(claims.jti as string);
      },
      staleness: () => 0,
      get revision() {
        return revision;
      },
    };
    const { f, verifier } = await setup({ revocation: view });
    const token = await mintToken(f, { jti: 'jti-2' });
    await remember(verifier, token);
    const askedWhenRemembered = asked;
    for (let i = 0; i < 5; i++) await verifier.verifyToken(token);
    expect(asked).toBe(askedWhenRemembered);
    revoked.add('jti-2');
    revision = 2;
    await expect(refusal(verifier.verifyToken(token))).resolves.toMatchObject({
      description: 'the token has been revoked',
    });
    await expect(refusal(verifier.verifyToken(token))).resolves.toMatchObject({
      description: 'the token has been revoked',
    });
  });

  it('passes the signing key id to the revocation view (key revocation)', async () => {
    const seen: (string | undefined)[] = [];
    const view: RevocationView = {
      isRevoked: (_claims, kid) => {
        seen.push(kid);
        return kid === 'ec-1';
      },
      staleness: () => 0,
    };
    const { f, verifier } = await setup({ revocation: view });
    await verifier.verifyToken(await mintToken(f));
    await expect(
      refusal(verifier.verifyToken(await mintToken(f, {}, { key: 'es256' }))),
    ).resolves.toMatchObject({
      status: 401,
    });
    expect(seen).toEqual(['rsa-1', 'ec-1']);
  });

  it('with a stale view and failClosed off, accepts tokens and warns at most once a minute', async () => {
    const view: RevocationView = { isRevoked: () => false, staleness: () => 120 };
    const { f, verifier, warnings, wait } = await setup({ revocation: { view, maxStaleness: 30 } });
    const token = await mintToken(f);
    await verifier.verifyToken(token);
    await verifier.verifyToken(token);
    wait(61);
    await verifier.verifyToken(token);
    expect(warnings.filter((w) => w.startsWith('the revocation view is stale'))).toHaveLength(2);
  });

  it('with a stale view and failClosed on, answers 503', async () => {
    const view: RevocationView = { isRevoked: () => false, staleness: () => 31 };
    const { f, verifier } = await setup({ revocation: { view, maxStaleness: 30, failClosed: true } });
    await expect(refusal(verifier.verifyToken(await mintToken(f)))).resolves.toMatchObject({
      error: 'temporarily_unavailable',
      status: 503,
    });
    expect(verifier.status().revocation).toEqual({ lastSeq: 0, staleness: 31, connected: false });
  });

  it('follows the issuer revocation feed when asked to', async () => {
    const entry = { seq: 1, kind: 'jti', value: 'jti-revoked', notBefore: 0, expiresAt: 4_000_000_000 };
    const f = await loadFixtures();
    const fake = createFakeFetch(f.jwks);
    const jwks = fake.respond;
    fake.respond = (url) =>
      url === `${ISSUER}oauth/revocations`
        ? new Response(
            `retry: 1000\n\nid: 1\nevent: revocation\ndata: ${JSON.stringify(entry)}\n\nevent: ready\ndata: {"last_seq":1}\n\n`,
            { headers: { 'content-type': 'text/event-stream' } },
          )
        : jwks(url);
    const verifier = createVerifier({ ...baseOptions(fake), revocation: {} });
    try {
      await verifier.ready();
      expect(verifier.status().revocation?.lastSeq).toBe(1);
      await expect(verifier.verifyToken(await mintToken(f, { jti: 'jti-other' }))).resolves.toBeDefined();
      await expect(
        refusal(verifier.verifyToken(await mintToken(f, { jti: 'jti-revoked' }))),
      ).resolves.toMatchObject({
        description: 'the token has been revoked',
      });
    } finally {
      await verifier.close();
    }
  });

  it('enforces maxTokenAge from iat', async () => {
    const { f, verifier } = await setup({ maxTokenAge: 60 });
    const now = nowSeconds();
    await expect(
      refusal(verifier.verifyToken(await mintToken(f, { iat: now - 120 }))),
    ).resolves.toMatchObject({
      description: 'the token is too old',
    });
  });

  it("typ 'any-jwt' accepts legacy tokens typed JWT or untyped, but no other typ", async () => {
    const { f, verifier } = await setup({ typ: 'any-jwt' });
    await expect(verifier.verifyToken(await mintToken(f, {}, { typ: 'JWT' }))).resolves.toBeDefined();
    await expect(
      verifier.verifyToken(await mintToken(f, { jti: undefined, client_id: undefined }, { typ: null })),
    ).resolves.toBeDefined();
    await expect(
      refusal(verifier.verifyToken(await mintToken(f, {}, { typ: 'dpop+jwt' }))),
    ).resolves.toMatchObject({
      description: 'unexpected typ',
    });
  });

  it('verifies with static keys without fetching anything', async () => {
    const f = await loadFixtures();
    const { fake, verifier } = await setup({ keys: { keys: [f.keys.rs256.generated.publicJwk] } });
    await expect(verifier.verifyToken(await mintToken(f))).resolves.toBeDefined();
    expect(fake.calls).toEqual([]);
    expect(verifier.status().jwksFetchedAt).toBeNull();
  });

  it('reports unusable static keys as a TypeError from ready()', async () => {
    const { verifier } = await setup({
      keys: { keys: [{ kty: 'RSA', alg: 'RS256', n: 'AQAB', e: 'AQAB' }] },
    });
    await expect(verifier.ready()).rejects.toThrow(/options\.keys/);
  });

  it('refuses decryption keys that cannot decrypt', async () => {
    const f = await loadFixtures();
    const { verifier } = await setup({ decryptionKeys: { keys: [f.keys.rs256.generated.privateJwk] } });
    await expect(verifier.ready()).rejects.toThrow(/options\.decryptionKeys/);
  });

  it('decrypts and remembers encrypted tokens', async () => {
    const f = await loadFixtures();
    const { verifier } = await setup({ decryptionKeys: { keys: [f.encryption.generated.privateJwk] } });
    const token = await encryptToken(f, await mintToken(f));
    await expect(verifier.verifyToken(token)).resolves.toMatchObject({ sub: 'alice' });
    await expect(verifier.verifyToken(token)).resolves.toMatchObject({ sub: 'alice' });
    expect(verifier.status().cachedTokens).toBe(1);
  });

  it('ready() rejects when the JWKS cannot be loaded, and verification answers 503', async () => {
    const { fake, f, verifier } = await setup();
    fake.respond = () => new Response('down', { status: 502 });
    await expect(verifier.ready()).rejects.toMatchObject({ status: 503 });
    await expect(refusal(verifier.verifyToken(await mintToken(f)))).resolves.toMatchObject({ status: 503 });
  });

  it('refuses what is not a string', async () => {
    const { verifier } = await setup();
    await expect(refusal(verifier.verifyToken(42 as never))).resolves.toMatchObject({
      error: 'invalid_token',
    });
  });
});
