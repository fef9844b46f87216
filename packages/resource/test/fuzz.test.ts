import { OAUTH_ERROR_CODES } from '@warden/protocol';
import { createMemoryStore, createSessionManager, type SessionManager } from '@warden/session';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  garbageText,
  MARKER,
  type Param,
  paramsArbitrary,
  serializeParams,
  toNodeHeaderSafe,
} from '../../server/test/fuzz/arbitraries.js';
import { expectWellFormedChallenge } from '../../server/test/fuzz/check-answer.js';
import { checkProperty } from '../../server/test/fuzz/fuzz-settings.js';
import { type JwtRecipe, jwtRecipeArbitrary, jwtTexts } from '../../server/test/fuzz/junk-jwt.js';
import { acceptSessions } from '../src/accept-sessions.js';
import { createVerifier, type Verifier } from '../src/create-verifier.js';
import { ADAPTERS, type TestApp, type TestResponse } from './adapter-apps.js';
import { type CaseRequest, profileOptions, ROUTES } from './cases.js';
import {
  accessClaims,
  createFakeFetch,
  EPOCH_MS,
  encryptToken,
  type Fixtures,
  type KeyName,
  loadFixtures,
  REALM,
  signRaw,
} from './fixtures.js';

/**
 * Generated garbage at the resource adapters (Express, Fastify, Hono, web), one request sent to
 * all four: Authorization headers, `access_token` in the query and in form bodies, cookies, and
 * JWTs signed with the issuer's published keys (or others) holding claims of the wrong type and
 * `alg`/`kid`/`typ`/`crit` junk, plain or inside a JWE. Whatever arrives, the answer is 200 with
 * a principal or an RFC 6750 refusal (400, 401, 403) with a registered error code and a
 * well-formed `WWW-Authenticate`, never a 5xx, and every adapter answers alike.
 * A failure prints the seed and path that replay it: see docs/testing.md (Fuzzing).
 */

type FuzzProfile = 'locations' | 'encrypted' | 'sessions';

const SESSION_COOKIE = '__Host-dragons_session';
const APP_ORIGIN = 'http://localhost:4200';
const signingKeys: KeyName[] = ['rs256', 'ps256', 'es256', 'eddsa', 'retired', 'attacker'];

interface ResourceRequest {
  profile: FuzzProfile;
  route: number;
  /** The generated token and where it goes. */
  token: { recipe: JwtRecipe; key: KeyName; encrypt: boolean };
  places: { header: boolean; query: boolean; body: boolean; session: boolean };
  scheme: string;
  query: Param[];
  form: Param[];
  contentType: string;
  authorization: string | null;
  cookie: string | null;
  origin: string | null;
  twoAuthorizationLines: boolean;
}

/** Query parameters travel in a path `node:http` sends: encoded, never raw. */
const asciiParams = paramsArbitrary(['access_token', 'token', 'scope']).map((params) =>
  params.map((param) => (param.encoding === 'raw' ? { ...param, encoding: 'component' as const } : param)),
);

/** True `yes` times in `yes + no`. */
const chance = (yes: number, no: number) =>
  fc.oneof({ weight: yes, arbitrary: fc.constant(true) }, { weight: no, arbitrary: fc.constant(false) });

const requestArbitrary: fc.Arbitrary<ResourceRequest> = fc
  .constantFrom<FuzzProfile>('locations', 'locations', 'encrypted', 'sessions')
  .chain((profile) =>
    fc.record({
      profile: fc.constant(profile),
      route: fc.nat(ROUTES.length - 1),
      token: fc.record({
        recipe: jwtRecipeArbitrary,
        key: fc.oneof(
          { weight: 6, arbitrary: fc.constant<KeyName>('rs256') },
          { weight: 1, arbitrary: fc.constantFrom(...signingKeys) },
        ),
        // Mostly what the profile's API takes: encrypted for the one that decrypts, signed elsewhere.
        encrypt: profile === 'encrypted' ? chance(5, 1) : chance(1, 9),
      }),
      places: fc.record({
        header: chance(4, 1),
        query: chance(1, 6),
        body: chance(1, 6),
        session: chance(1, 1),
      }),
      scheme: fc.oneof(
        { weight: 8, arbitrary: fc.constant('Bearer ') },
        {
          weight: 1,
          arbitrary: fc.constantFrom('bearer ', 'BEARER ', 'Bearer  ', 'Bearer\t', 'Basic ', 'DPoP '),
        },
      ),
      query: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Param[]>([]) },
        { weight: 1, arbitrary: asciiParams },
      ),
      form: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Param[]>([]) },
        { weight: 1, arbitrary: paramsArbitrary(['access_token', 'scope', 'name']) },
      ),
      // Fastify refuses a body of a type it has no parser for (415) before any hook runs.
      contentType: fc.constantFrom(
        'application/x-www-form-urlencoded',
        'application/x-www-form-urlencoded; charset=utf-8',
        'application/x-www-form-urlencoded;charset=UTF-8',
      ),
      authorization: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: garbageText },
      ),
      cookie: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: garbageText }),
      origin: fc.constantFrom(null, APP_ORIGIN, 'https://evil.example', 'null', MARKER),
      twoAuthorizationLines: chance(1, 9),
    }),
  );

/** The token of a recipe: signed by a fixture key over a good token's claims, and encrypted to the API when asked. */
async function makeToken(f: Fixtures, token: ResourceRequest['token']): Promise<string> {
  const jwk = f.keys[token.key].generated.privateJwk;
  const texts = jwtTexts(token.recipe, {
    header: { alg: jwk.alg, kid: jwk.kid, typ: 'at+jwt' },
    claims: accessClaims(),
  });
  const signed = typeof texts === 'string' ? texts : signRaw(texts.header, texts.payload, f, token.key);
  return token.encrypt ? encryptToken(f, signed) : signed;
}

interface World {
  f: Fixtures;
  sessions: SessionManager;
  /** Per profile, the four adapters' apps over one verifier. */
  apps: Map<FuzzProfile, { adapter: string; app: TestApp; handled: () => number }[]>;
  verifiers: Verifier[];
}

/**
 * Node's HTTP server refuses a request whose head exceeds 16 KiB (431) before any app sees it, and
 * the frameworks' form parsers a body past their limit: the request line, headers and body are
 * cut to fit, the same for every adapter.
 */
const fit = (text: string, size: number) => text.slice(0, size);

async function buildRequest(world: World, r: ResourceRequest): Promise<CaseRequest> {
  const route = ROUTES[r.route]!;
  const token = await makeToken(world.f, r.token);
  const headers: Record<string, string | string[]> = {};
  if (r.places.header) {
    const value = fit(toNodeHeaderSafe(`${r.scheme}${token}`), 6 * 1024);
    // Two lines only with the Bearer scheme: the fetch `Headers` of the Hono and web adapters join
    // repeated lines with ", ", which for another scheme reads as one credential with parameters.
    const repeat = r.twoAuthorizationLines && /^bearer +$/i.test(r.scheme);
    headers.authorization = repeat ? [value, value] : value;
  } else if (r.authorization !== null) {
    headers.authorization = fit(toNodeHeaderSafe(r.authorization), 6 * 1024);
  }
  const cookies: string[] = [];
  if (r.profile === 'sessions' && r.places.session) {
    const issued = await world.sessions.create('alice', {
      tokens: { accessToken: token, expiresAt: EPOCH_MS + 600_000 },
    });
    cookies.push(`${SESSION_COOKIE}=${issued.id}`);
  }
  if (r.cookie !== null) cookies.push(fit(toNodeHeaderSafe(r.cookie), 1024));
  if (cookies.length > 0) headers.cookie = cookies.join('; ');
  if (r.origin !== null) headers.origin = r.origin;
  const query = fit(
    [...(r.places.query ? [`access_token=${encodeURIComponent(token)}`] : []), serializeParams(r.query)]
      .filter(Boolean)
      .join('&'),
    2 * 1024,
  );
  const request: CaseRequest = {
    method: route.method,
    path: `${route.path}${query ? `?${query}` : ''}`,
    headers,
  };
  if (route.method === 'POST') {
    headers['content-type'] = r.contentType;
    // Express's form parser refuses bodies over 100 kB (413) before the middleware runs.
    request.body = fit(
      [r.places.body ? `access_token=${encodeURIComponent(token)}` : '', serializeParams(r.form)]
        .filter(Boolean)
        .join('&'),
      16 * 1024, // characters: at most 64 KiB of UTF-8
    );
  }
  return request;
}

const codes: ReadonlySet<string> = new Set(OAUTH_ERROR_CODES);

/**
 * An adapter's answer is a principal (200) or an RFC 6750 refusal: 400, 401 or 403, JSON with a
 * registered code and a description, `Cache-Control: no-store`, and one well-formed Bearer
 * challenge naming the realm and the same code (none for a request that sent no token).
 */
function expectSoundRefusalOrPrincipal(adapter: string, response: TestResponse): void {
  const what = `${adapter} answered ${response.status}: ${response.body.slice(0, 300)}`;
  expect([200, 400, 401, 403], what).toContain(response.status);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  if (response.status === 200) {
    expect(body.sub, what).toBeTypeOf('string');
    return;
  }
  expect(codes.has(String(body.error)), what).toBe(true);
  expect(body.error_description, what).toBeTypeOf('string');
  expect(response.header('cache-control'), what).toBe('no-store');
  const challenge = response.header('www-authenticate');
  expect(challenge, what).not.toBeNull();
  expectWellFormedChallenge(challenge!);
  expect(challenge!.startsWith(`Bearer realm="${REALM}"`), what).toBe(true);
  const named = /error="([^"]*)"/.exec(challenge!)?.[1];
  if (named !== undefined) expect(named, what).toBe(body.error);
  else
    expect({ status: response.status, error: body.error }, what).toEqual({
      status: 401,
      error: 'invalid_request',
    });
}

describe('fuzz: the resource adapters', () => {
  const world = { apps: new Map(), verifiers: [] } as unknown as World;

  beforeAll(async () => {
    world.f = await loadFixtures();
    world.sessions = createSessionManager({
      store: createMemoryStore(),
      cookieName: SESSION_COOKIE,
      clock: () => EPOCH_MS,
    });
    for (const profile of ['locations', 'encrypted', 'sessions'] as const) {
      const fake = createFakeFetch(world.f.jwks);
      const base = profileOptions(profile === 'encrypted' ? 'encrypted' : 'locations', fake, world.f);
      let verifier = createVerifier(
        profile === 'encrypted' ? { ...base, tokenLocations: ['header', 'query', 'body'] } : base,
      );
      if (profile === 'sessions')
        verifier = acceptSessions(verifier, { sessions: world.sessions, allowedOrigins: [APP_ORIGIN] });
      world.verifiers.push(verifier);
      const apps = [];
      for (const adapter of ADAPTERS) {
        let handled = 0;
        const app = await adapter.build(verifier, () => {
          handled++;
        });
        apps.push({ adapter: adapter.name, app, handled: () => handled });
      }
      world.apps.set(profile, apps);
    }
  });

  afterAll(async () => {
    for (const apps of world.apps.values()) for (const { app } of apps) await app.close();
    for (const verifier of world.verifiers) await verifier.close();
  });

  it('answers every request with a principal or an RFC 6750 refusal, alike in every adapter', async () => {
    await checkProperty(
      fc.asyncProperty(requestArbitrary, async (r) => {
        const request = await buildRequest(world, r);
        const answers: { adapter: string; status: number; error: unknown }[] = [];
        for (const { adapter, app, handled } of world.apps.get(r.profile)!) {
          const before = handled();
          const response = await app.send(request);
          expectSoundRefusalOrPrincipal(adapter, response);
          expect(handled() - before, `${adapter}: the handler ran for a ${response.status}`).toBe(
            response.status === 200 ? 1 : 0,
          );
          answers.push({ adapter, status: response.status, error: JSON.parse(response.body).error });
        }
        const first = answers[0]!;
        for (const answer of answers) {
          expect(
            { status: answer.status, error: answer.error },
            `${answer.adapter} and ${first.adapter} differ`,
          ).toEqual({
            status: first.status,
            error: first.error,
          });
        }
      }),
      400,
    );
  }, 180_000);
});
