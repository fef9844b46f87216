import fc from 'fast-check';
import {
  authorizationArbitrary,
  type BodyShape,
  bodyShapeArbitrary,
  buildBody,
  bytesArbitrary,
  contentTypeArbitrary,
  cookieArbitrary,
  garbageText,
  headerText,
  type Param,
  paramsArbitrary,
  percentJunk,
  serializeParams,
} from './arbitraries.js';
import { answerKind, ENDPOINTS, GRANT_TYPES, type Method } from './endpoints.js';

/**
 * A request of pure garbage to any route of the authorization server: a route (or an unknown
 * path beside one), a method, parameters, headers and a body, all generated. Printed as is when a
 * property fails.
 */
export interface RawRequest {
  /** An index into `ENDPOINTS`; with `suffix`, a path beside that route (mostly no route at all). */
  route: number;
  suffix: string | undefined;
  method: Method;
  query: Param[];
  form: Param[];
  body: BodyShape;
  bytes: Uint8Array;
  headers: Record<string, string>;
}

const allMethods: Method[] = ['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'];

const originArbitrary = fc.oneof(
  fc.constantFrom(
    'http://localhost:3000',
    'http://localhost:4200',
    'https://fans.example',
    'null',
    'https://evil.example',
  ),
  headerText,
);

/** Browser and CORS headers, each present or not, with known and garbage values. */
const browserHeaders = fc.record(
  {
    origin: originArbitrary,
    'sec-fetch-site': fc.oneof(fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none'), headerText),
    'sec-fetch-mode': fc.oneof(fc.constantFrom('navigate', 'cors', 'no-cors'), headerText),
    'sec-fetch-dest': fc.oneof(fc.constantFrom('document', 'empty', 'iframe'), headerText),
    'sec-fetch-user': fc.oneof(fc.constant('?1'), headerText),
    'access-control-request-method': fc.oneof(fc.constantFrom('GET', 'POST', 'PUT'), headerText),
    'access-control-request-headers': fc.oneof(
      fc.constantFrom('authorization', 'content-type, dpop'),
      headerText,
    ),
    accept: fc.oneof(
      fc.constantFrom('text/event-stream', 'application/json', 'text/html', '*/*'),
      headerText,
    ),
    'last-event-id': fc.oneof(fc.constantFrom('0', '-1', '1e3', '99999999999999999999'), headerText),
    referer: headerText,
    'x-forwarded-for': headerText,
    'user-agent': headerText,
    'content-length': fc.constantFrom('0', '-1', 'abc', '99999999999'),
  },
  { requiredKeys: [] },
);

/** Values of known parameters that mean something, mixed into the garbage. */
const meaningfulValues = fc.constantFrom(
  ...GRANT_TYPES,
  'code',
  'token',
  'id_token token',
  'none',
  'login',
  'consent',
  'query',
  'fragment',
  'form_post',
  'S256',
  'plain',
  'openid profile email offline_access',
  'http://localhost:4200/callback',
  'http://localhost:3001/api/',
  'access_token',
  'refresh_token',
  'allow',
  'deny',
  'confirm',
  'cancel',
  'true',
);

function routeParams(route: number): fc.Arbitrary<Param[]> {
  const known = ENDPOINTS[route]!.params;
  return paramsArbitrary(known).chain((params) =>
    fc
      .array(fc.tuple(fc.nat(Math.max(0, params.length - 1)), meaningfulValues), { maxLength: 2 })
      .map((swaps) => {
        const out = params.map((p) => ({ ...p }));
        for (const [index, value] of swaps) if (out[index]) out[index]!.value = value;
        return out;
      }),
  );
}

export function rawRequestArbitrary(clientIds: readonly string[]): fc.Arbitrary<RawRequest> {
  return fc.nat(ENDPOINTS.length - 1).chain((route) => {
    const served = Object.keys(ENDPOINTS[route]!.methods) as Method[];
    return fc.record({
      route: fc.constant(route),
      // Now and then a path beside the route, which is no route at all.
      suffix: fc.oneof(
        { weight: 9, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.oneof(
            fc.constantFrom('/', '//', '/..', '%00', '%2F', '%20', '.json', '/x'),
            fc.constantFrom(...percentJunk),
            garbageText.map((text) => `/${text}`),
          ),
        },
      ),
      method: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...served) },
        { weight: 1, arbitrary: fc.constantFrom(...allMethods) },
      ),
      query: routeParams(route),
      form: routeParams(route),
      body: bodyShapeArbitrary,
      bytes: bytesArbitrary,
      headers: fc
        .tuple(
          browserHeaders,
          authorizationArbitrary(clientIds),
          cookieArbitrary(['warden_session', 'warden_csrf', '__Host-warden_session', '__Host-warden_csrf']),
          contentTypeArbitrary,
          fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), headerText), { maxLength: 2 }),
        )
        .map(([browser, authorization, cookie, contentType, extra]) => {
          const headers: Record<string, string> = Object.fromEntries(extra);
          Object.assign(headers, browser);
          if (authorization !== undefined) headers.authorization = authorization;
          if (cookie !== undefined) headers.cookie = cookie;
          if (contentType !== undefined) headers['content-type'] = contentType;
          return headers;
        }),
    });
  });
}

/** The Request a recipe describes, and how the route it reaches answers. */
export function buildRawRequest(recipe: RawRequest): {
  request: Request;
  kind: ReturnType<typeof answerKind>;
} {
  const endpoint = ENDPOINTS[recipe.route]!;
  const path = recipe.suffix === undefined ? endpoint.path : `${endpoint.path}${recipe.suffix}`;
  const query = serializeParams(recipe.query);
  const hasBody = recipe.method !== 'GET' && recipe.method !== 'HEAD';
  const body = hasBody
    ? buildBody(recipe.body, serializeParams(recipe.form), recipe.form, recipe.bytes)
    : undefined;
  const headers = new Headers(recipe.headers);
  const request = new Request(`http://localhost${path}${query ? `?${query}` : ''}`, {
    method: recipe.method,
    headers,
    ...(body !== undefined && { body }),
  });
  // A suffix with dot segments may land on another route: judge by where the request really goes.
  const routed = ENDPOINTS.find((candidate) => candidate.path === new URL(request.url).pathname);
  return { request, kind: answerKind(routed, recipe.method) };
}
