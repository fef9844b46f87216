import { randomToken } from '@warden/protocol';
import fc from 'fast-check';
import { spaRequest } from '../browser-helpers.js';
import { apiId, Browser, basic, hiddenFields, spaCallback } from '../harness.js';
import { garbageText, MARKER, type Param, paramsArbitrary, serializeParams } from './arbitraries.js';
import { expectSoundAnswer } from './check-answer.js';
import type { AnswerKind, Method } from './endpoints.js';
import { type JwtRecipe, jwtRecipeArbitrary, makeJwt } from './junk-jwt.js';
import { browserAtApp, type FuzzWorld, freshCode, freshTokens, signedInBrowser } from './world.js';

/**
 * Plausible but wrong requests: a real client, a real code, refresh token, interaction or CSRF
 * token, each with garbage or a mutation where it matters. Each flow sends its requests through a
 * browser or as a client would, and every answer on the way is judged by `expectSoundAnswer`.
 */

/** What happens to a real value before it is sent. */
export type Mutation =
  | { op: 'keep' }
  | { op: 'drop' }
  | { op: 'replace'; text: string }
  | { op: 'flip'; at: number }
  | { op: 'truncate'; at: number }
  | { op: 'append'; text: string }
  | { op: 'upper' }
  | { op: 'twice' };

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ op: 'keep' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'drop' as const }) },
  { weight: 2, arbitrary: garbageText.map((text) => ({ op: 'replace' as const, text })) },
  { weight: 2, arbitrary: fc.nat().map((at) => ({ op: 'flip' as const, at })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ op: 'truncate' as const, at })) },
  { weight: 1, arbitrary: garbageText.map((text) => ({ op: 'append' as const, text })) },
  { weight: 1, arbitrary: fc.constantFrom({ op: 'upper' as const }, { op: 'twice' as const }) },
);

/** Mostly the real value: for what must be right to get further (a CSRF token, an interaction). */
const mostlyKept: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ op: 'keep' as const }) },
  { weight: 1, arbitrary: mutationArbitrary },
);

/** The mutated value; undefined when the mutation drops it. */
export function mutate(value: string, mutation: Mutation): string | undefined {
  switch (mutation.op) {
    case 'keep':
      return value;
    case 'drop':
      return undefined;
    case 'replace':
      return mutation.text;
    case 'flip': {
      if (value === '') return 'x';
      const at = mutation.at % value.length;
      const flipped = value[at] === 'A' ? 'B' : 'A';
      return `${value.slice(0, at)}${flipped}${value.slice(at + 1)}`;
    }
    case 'truncate':
      return value.slice(0, mutation.at % Math.max(1, value.length));
    case 'append':
      return `${value}${mutation.text}`;
    case 'upper':
      return value.toUpperCase();
    case 'twice':
      return `${value}${value}`;
  }
}

/** Replacements for some named fields: a meaningful wrong value, garbage, or the field removed. */
function changes(values: Record<string, readonly string[]>): fc.Arbitrary<Record<string, string | null>> {
  const names = Object.keys(values);
  return fc
    .uniqueArray(fc.constantFrom(...names), { maxLength: 4 })
    .chain((picked) =>
      fc
        .tuple(
          ...picked.map((name) =>
            fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...values[name]!) },
              { weight: 2, arbitrary: garbageText },
              { weight: 1, arbitrary: fc.constant(null) },
            ),
          ),
        )
        .map((chosen) => Object.fromEntries(picked.map((name, index) => [name, chosen[index]!]))),
    );
}

const redirectUris = [
  spaCallback,
  `${spaCallback}/`,
  `${spaCallback}?x=1`,
  `${spaCallback}#frag`,
  'http://LOCALHOST:4200/callback',
  'http://localhost:5000/callback',
  'https://fans.example/callback',
  'https://evil.example/callback',
  'javascript:alert(1)//',
  '//evil.example',
  `${spaCallback}${MARKER}`,
];

const authorizeChanges = changes({
  redirect_uri: redirectUris,
  scope: [
    'openid',
    'openid offline_access',
    'read:orders',
    'openid read:dragons read:orders',
    'openid  profile',
    ' openid',
    'openid openid',
    `openid ${MARKER}`,
  ],
  audience: [apiId, `${apiId}x`, 'http://localhost:3000/userinfo', 'http://localhost:3001/api'],
  resource: [apiId, 'not a uri', 'http://localhost:3001/api/#x', 'urn:x'],
  code_challenge: ['x', 'a'.repeat(42), 'a'.repeat(43), 'a'.repeat(129), '~'.repeat(43), '+'.repeat(43)],
  code_challenge_method: ['S256', 'plain', 's256', 'S512', 'none'],
  response_type: [
    'code',
    'token',
    'id_token',
    'id_token token',
    'code id_token',
    'none',
    'code code',
    'CODE',
  ],
  response_mode: ['query', 'fragment', 'form_post', 'form_post.jwt', 'web_message', 'jwt'],
  prompt: ['none', 'login', 'consent', 'select_account', 'none login', 'create', 'none none'],
  max_age: ['0', '-1', '1e99', 'abc', '99999999999999999999', '1.5', ' 5', '00'],
  state: [MARKER, 'S'.repeat(20_000)],
  nonce: [MARKER, 'n'.repeat(5000)],
  login_hint: [MARKER, 'user@example.com', `${'a'.repeat(400)}@example.com`],
  client_id: ['web', 'm2m', 'thirdParty', MARKER],
});

const clientIdsByName = (world: FuzzWorld): Record<string, string> => ({
  spa: world.t.spa,
  web: world.t.web.client_id,
  m2m: world.t.m2m.client_id,
  thirdParty: world.t.thirdParty,
});

export type Flow =
  | {
      flow: 'authorize';
      method: 'GET' | 'POST';
      signedIn: boolean;
      changes: Record<string, string | null>;
      hint: JwtRecipe | null;
      extra: Param[];
    }
  | {
      flow: 'code';
      changes: Record<string, string | null>;
      code: Mutation;
      verifier: Mutation;
      client: Mutation;
      sendTwice: boolean;
      extra: Param[];
    }
  | {
      flow: 'refresh';
      token: Mutation;
      changes: Record<string, string | null>;
      asWeb: boolean;
      extra: Param[];
    }
  | {
      flow: 'client_credentials';
      secret: Mutation;
      how: 'basic' | 'post';
      changes: Record<string, string | null>;
    }
  | {
      flow: 'login';
      login: string;
      password: string;
      csrf: Mutation;
      interaction: Mutation;
      extra: Param[];
      crossSite: boolean;
    }
  | { flow: 'signup'; email: string; name: string; password: string; csrf: Mutation; extra: Param[] }
  | { flow: 'consent'; decision: string; csrf: Mutation; interaction: Mutation; extra: Param[] }
  | {
      flow: 'logout';
      path: '/logout' | '/v2/logout';
      method: 'GET' | 'POST';
      hint: JwtRecipe | null;
      changes: Record<string, string | null>;
      decision: string;
      csrf: Mutation;
    };

/** Now and then a garbage parameter or two beside the real ones. */
const extraParams = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Param[]>([]) },
  { weight: 1, arbitrary: paramsArbitrary([]).map((params) => params.slice(0, 2)) },
);

const loginValues = fc.oneof(
  fc.constantFrom(
    'user@example.com',
    'USER@EXAMPLE.COM',
    ' user@example.com ',
    'bilbo',
    'BILBO',
    'user@exampIe.com',
    'user@example.com.',
    'u\u0301ser@example.com',
    '\uff55ser@example.com',
    `user@example.com${MARKER}`,
  ),
  garbageText,
);

const emailValues = fc.oneof(
  fc.stringMatching(/^[a-z0-9._%+-]{1,24}$/).map((local) => `${local}@example.com`),
  garbageText.map((text) => `${text}@example.com`),
  garbageText.map((text) => `fz@${text}`),
  garbageText,
  fc.constantFrom(
    'user@example.com',
    'USER@example.com',
    'new@EXAMPLE.COM',
    'x@xn--exmple-cua.com',
    'x@\u0435xample.com',
    'x@example.com\u200b',
    'a@b',
    '@example.com',
    'a@@example.com',
    `${MARKER}@example.com`,
  ),
);

export const flowArbitrary: fc.Arbitrary<Flow> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      flow: fc.constant('authorize' as const),
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'GET', 'POST'),
      signedIn: fc.boolean(),
      changes: authorizeChanges,
      hint: fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: jwtRecipeArbitrary },
      ),
      extra: extraParams,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      flow: fc.constant('code' as const),
      changes: changes({
        redirect_uri: redirectUris,
        grant_type: ['authorization_code', 'refresh_token', 'AUTHORIZATION_CODE'],
        scope: ['openid', 'read:orders'],
        audience: [apiId],
      }),
      code: mutationArbitrary,
      verifier: mutationArbitrary,
      client: mutationArbitrary,
      sendTwice: fc.boolean(),
      extra: extraParams,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      flow: fc.constant('refresh' as const),
      token: mutationArbitrary,
      changes: changes({
        scope: ['openid', 'openid offline_access read:dragons', 'read:orders', 'openid email profile admin'],
        audience: [apiId, `${apiId}x`],
        client_id: ['web', 'm2m'],
      }),
      asWeb: fc.boolean(),
      extra: extraParams,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      flow: fc.constant('client_credentials' as const),
      secret: mutationArbitrary,
      how: fc.constantFrom<'basic' | 'post'>('basic', 'post'),
      changes: changes({
        audience: [apiId, `${apiId}x`, 'http://localhost:3000/userinfo'],
        resource: [apiId, 'urn:x'],
        scope: [
          'read:dragons',
          'read:orders',
          'read:dragons read:dragons',
          'openid',
          'read:dragons  read:orders',
        ],
      }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      flow: fc.constant('login' as const),
      login: loginValues,
      password: fc.oneof(fc.constantFrom('correct horse battery', ''), garbageText),
      csrf: mostlyKept,
      interaction: mostlyKept,
      extra: extraParams,
      crossSite: fc.oneof(
        { weight: 5, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      flow: fc.constant('signup' as const),
      email: emailValues,
      name: fc.oneof(garbageText, fc.constant(MARKER)),
      password: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('long enough password', 'short', '') },
        { weight: 1, arbitrary: garbageText },
      ),
      csrf: mostlyKept,
      extra: extraParams,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      flow: fc.constant('consent' as const),
      decision: fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom('allow', 'deny', 'ALLOW', '') },
        { weight: 1, arbitrary: garbageText },
      ),
      csrf: mostlyKept,
      interaction: mostlyKept,
      extra: extraParams,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      flow: fc.constant('logout' as const),
      path: fc.constantFrom<'/logout' | '/v2/logout'>('/logout', '/v2/logout'),
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
      hint: fc.oneof(fc.constant(null), jwtRecipeArbitrary),
      changes: changes({
        client_id: ['spa', 'web', 'm2m'],
        post_logout_redirect_uri: [
          'http://localhost:4200/',
          'http://localhost:4200',
          'https://evil.example/',
        ],
        returnTo: ['http://localhost:5000/', 'https://evil.example/'],
        state: [MARKER],
        everywhere: ['true', 'false', 'TRUE', '1'],
      }),
      decision: fc.oneof(fc.constantFrom('confirm', 'cancel'), garbageText),
      csrf: mostlyKept,
    }),
  },
);

const form = 'application/x-www-form-urlencoded';

/** Runs a flow; every answer it gets is judged. Moves the server's clock on by a second. */
export async function runFlow(world: FuzzWorld, flow: Flow, shared: { browser: Browser }): Promise<void> {
  try {
    await sendFlow(world, flow, shared);
  } finally {
    // A revocation covers what was issued up to its second, and the fake clock stands still: move
    // it on, so that what the next flow signs in for is not revoked by what this one did.
    world.t.advance(1);
  }
}

async function sendFlow(world: FuzzWorld, flow: Flow, shared: { browser: Browser }): Promise<void> {
  const { t } = world;
  /** Sends one request of the flow and judges its answer; returns it, unread, as a clone. */
  const send = async (kind: AnswerKind, path: string, init: RequestInit = {}): Promise<Response> => {
    world.clearLog();
    const response = await t.request(path, init);
    const copy = response.clone();
    await expectSoundAnswer(response, world.context(kind, (init.method ?? 'GET') as Method));
    return copy;
  };
  const post = (
    kind: AnswerKind,
    path: string,
    fields: [string, string | undefined][],
    extra: Param[],
    headers: Record<string, string> = {},
  ) =>
    send(kind, path, {
      method: 'POST',
      headers: { 'content-type': form, ...headers },
      body: [encodeFields(fields), serializeParams(extra)].filter(Boolean).join('&'),
    });
  const named = clientIdsByName(world);
  const withNames = (values: Record<string, string | null>) =>
    Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        value !== null && name === 'client_id' ? (named[value] ?? value) : value,
      ]),
    );

  switch (flow.flow) {
    case 'authorize': {
      const browser = flow.signedIn ? shared.browser : new Browser(t);
      const request = await spaRequest(t);
      const params = applyFieldChanges(request.params, withNames(flow.changes));
      if (flow.hint) params.push(['id_token_hint', await idTokenFor(world, flow.hint)]);
      const query = [encodeFields(params), serializeParams(flow.extra)].filter(Boolean).join('&');
      const cookie = { cookie: browser.jar.header(), 'sec-fetch-site': 'none' };
      const response =
        flow.method === 'GET'
          ? await send('page', `/authorize?${query}`, { headers: cookie })
          : await send('page', '/authorize', {
              method: 'POST',
              headers: { ...cookie, 'content-type': form },
              body: query,
            });
      browser.jar.store(response);
      const location = response.headers.get('location');
      if (location?.startsWith(t.issuer)) {
        // Follow to the hosted page, which shows some of what was sent.
        await send('page', location.slice(t.issuer.length - 1), {
          headers: { cookie: browser.jar.header() },
        });
      }
      return;
    }
    case 'code': {
      const real = await freshCode(t, shared.browser);
      const fields: [string, string | undefined][] = [
        ['grant_type', 'authorization_code'],
        ['client_id', mutate(t.spa, flow.client)],
        ['code', mutate(real.code, flow.code)],
        ['redirect_uri', spaCallback],
        ['code_verifier', mutate(real.verifier, flow.verifier)],
      ];
      const sent = applyFieldChanges(Object.fromEntries(fields.filter(definedValue)), flow.changes);
      await post('json', '/oauth/token', sent, flow.extra);
      if (flow.sendTwice) await post('json', '/oauth/token', sent, flow.extra);
      return;
    }
    case 'refresh': {
      const tokens = await freshTokens(t, shared.browser);
      const fields: Record<string, string> = { grant_type: 'refresh_token' };
      const token = mutate(tokens.refresh_token!, flow.token);
      if (token !== undefined) fields.refresh_token = token;
      if (!flow.asWeb) fields.client_id = t.spa;
      const headers: Record<string, string> = flow.asWeb
        ? { authorization: basic(t.web.client_id, t.web.client_secret) }
        : {};
      await post(
        'json',
        '/oauth/token',
        applyFieldChanges(fields, withNames(flow.changes)),
        flow.extra,
        headers,
      );
      return;
    }
    case 'client_credentials': {
      const secret = mutate(t.m2m.client_secret, flow.secret) ?? '';
      const fields: Record<string, string> = { grant_type: 'client_credentials', audience: apiId };
      let headers: Record<string, string> = {};
      if (flow.how === 'basic') headers = { authorization: basic(t.m2m.client_id, secret) };
      else Object.assign(fields, { client_id: t.m2m.client_id, client_secret: secret });
      await post('json', '/oauth/token', applyFieldChanges(fields, flow.changes), [], headers);
      return;
    }
    case 'login':
    case 'signup': {
      const browser = new Browser(t);
      const redirect = await browser.get((await spaRequest(t)).url);
      const interaction = new URL(redirect.headers.get('location')!).searchParams.get('interaction')!;
      const page = await browser.get(`/u/${flow.flow}?interaction=${interaction}`);
      const hidden = hiddenFields(await page.text());
      const sameOrigin = { origin: new URL(t.issuer).origin, 'sec-fetch-site': 'same-origin' };
      const crossSite = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
      const headers = {
        cookie: browser.jar.header(),
        ...(flow.flow === 'login' && flow.crossSite ? crossSite : sameOrigin),
      };
      const fields: [string, string | undefined][] =
        flow.flow === 'login'
          ? [
              ['csrf_token', mutate(hidden.csrf_token ?? '', flow.csrf)],
              ['interaction', mutate(hidden.interaction ?? '', flow.interaction)],
              ['login', flow.login],
              ['password', flow.password],
            ]
          : [
              ['csrf_token', mutate(hidden.csrf_token ?? '', flow.csrf)],
              ['interaction', hidden.interaction],
              ['email', flow.email],
              ['name', flow.name],
              ['password', flow.password],
            ];
      await post('page', `/u/${flow.flow}`, fields, flow.extra, headers);
      return;
    }
    case 'consent': {
      const request = await spaRequest(t, {
        client_id: t.thirdParty,
        redirect_uri: 'https://fans.example/callback',
        prompt: 'consent',
      });
      const redirect = await browserAtApp(t, shared.browser, request.url);
      const location = redirect.headers.get('location') ?? '';
      if (!location.startsWith(`${t.issuer}u/consent`))
        throw new Error(`no consent page: ${redirect.status} ${location}`);
      const page = await shared.browser.get(location);
      const hidden = hiddenFields(await page.text());
      const fields: [string, string | undefined][] = [
        ['csrf_token', mutate(hidden.csrf_token ?? '', flow.csrf)],
        ['interaction', mutate(hidden.interaction ?? '', flow.interaction)],
        ['decision', flow.decision],
      ];
      const headers = {
        cookie: shared.browser.jar.header(),
        origin: new URL(t.issuer).origin,
        'sec-fetch-site': 'same-origin',
      };
      await post('page', '/u/consent', fields, flow.extra, headers);
      return;
    }
    case 'logout': {
      const browser = await signedInBrowser(t);
      const fields: Record<string, string> = {};
      if (flow.hint) fields.id_token_hint = await idTokenFor(world, flow.hint);
      const params = applyFieldChanges(fields, withNames(flow.changes));
      const headers = { cookie: browser.jar.header(), 'sec-fetch-site': 'none' };
      const response =
        flow.method === 'GET'
          ? await send('page', `${flow.path}?${encodeFields(params)}`, { headers })
          : await post('page', flow.path, params, [], headers);
      const html = await response.text();
      if (!html.includes('action="/logout/confirm"')) return;
      const hidden = hiddenFields(html);
      const confirm: [string, string | undefined][] = [
        ...Object.entries(hidden).filter(([name]) => name !== 'csrf_token'),
        ['csrf_token', mutate(hidden.csrf_token ?? '', flow.csrf)],
        ['decision', flow.decision],
      ];
      await post('page', '/logout/confirm', confirm, [], {
        cookie: browser.jar.header(),
        origin: new URL(t.issuer).origin,
        'sec-fetch-site': 'same-origin',
      });
      return;
    }
  }
}

/** An ID token of the server's own key for the signed-in user, with the recipe's junk. */
export async function idTokenFor(world: FuzzWorld, recipe: JwtRecipe): Promise<string> {
  const now = Math.floor(world.t.clock() / 1000);
  return makeJwt(
    recipe,
    {
      header: { alg: 'RS256', kid: world.kid, typ: 'JWT' },
      claims: {
        iss: world.t.issuer,
        sub: world.t.userId,
        aud: world.t.spa,
        exp: now + 3600,
        iat: now,
        nonce: randomToken(16),
      },
    },
    world.sign,
  );
}

function definedValue(entry: [string, string | undefined]): entry is [string, string] {
  return entry[1] !== undefined;
}

function encodeFields(fields: readonly [string, string | undefined][]): string {
  return new URLSearchParams(fields.filter(definedValue)).toString();
}

/** The fields with `changes` applied: a string replaces (or adds) a field, null removes it. */
function applyFieldChanges(
  fields: Record<string, string>,
  changes: Record<string, string | null>,
): [string, string][] {
  const out = { ...fields };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete out[name];
    else out[name] = value;
  }
  return Object.entries(out);
}
