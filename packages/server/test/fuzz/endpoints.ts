/**
 * Every route of the authorization server (see `createAuthorizationServer`), with the methods it
 * answers, how it answers errors and the parameter names it reads, for the fuzz suite.
 */

/**
 * - `json`: a protocol endpoint; errors are OAuth JSON.
 * - `page`: a browser endpoint; errors are the HTML error page (or the form again, or a redirect
 *   to the client).
 * - `preflight`: a CORS preflight; 204 or 403, no body.
 * - `static`: always the same document (health, stylesheet).
 */
export type AnswerKind = 'json' | 'page' | 'preflight' | 'static';

export type Method = 'GET' | 'POST' | 'HEAD' | 'OPTIONS' | 'PUT' | 'DELETE' | 'PATCH';

export interface Endpoint {
  path: string;
  /** The methods it serves and how each answers; any other method is an unknown route (404 JSON). */
  methods: Partial<Record<Method, AnswerKind>>;
  /** The parameter names it reads (query or form). */
  params: readonly string[];
}

const authorizeParams = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'audience',
  'resource',
  'prompt',
  'max_age',
  'login_hint',
  'id_token_hint',
  'response_mode',
  'request',
  'request_uri',
  'registration',
  'screen_hint',
  'ui_locales',
  'connection',
];
const clientAuthParams = ['client_id', 'client_secret', 'client_assertion', 'client_assertion_type'];
const logoutParams = [
  'id_token_hint',
  'post_logout_redirect_uri',
  'returnTo',
  'client_id',
  'state',
  'everywhere',
];
const get = { GET: 'json', HEAD: 'json', OPTIONS: 'preflight' } as const;

export const ENDPOINTS: readonly Endpoint[] = [
  { path: '/.well-known/openid-configuration', methods: get, params: [] },
  { path: '/.well-known/oauth-authorization-server', methods: get, params: [] },
  { path: '/.well-known/jwks.json', methods: get, params: [] },
  { path: '/authorize', methods: { GET: 'page', POST: 'page', HEAD: 'page' }, params: authorizeParams },
  {
    path: '/u/login',
    methods: { GET: 'page', POST: 'page', HEAD: 'page' },
    params: ['interaction', 'login', 'password', 'csrf_token'],
  },
  {
    path: '/u/signup',
    methods: { GET: 'page', POST: 'page', HEAD: 'page' },
    params: ['interaction', 'email', 'password', 'name', 'csrf_token'],
  },
  { path: '/account', methods: { GET: 'page', HEAD: 'page' }, params: ['done'] },
  { path: '/account/link', methods: { GET: 'page', HEAD: 'page' }, params: ['connection', 'csrf_token'] },
  { path: '/account/unlink', methods: { POST: 'page' }, params: ['connection', 'upstream_id', 'csrf_token'] },
  {
    path: '/u/login/connection',
    methods: { GET: 'page', HEAD: 'page' },
    params: ['interaction', 'connection'],
  },
  {
    path: '/u/consent',
    methods: { GET: 'page', POST: 'page', HEAD: 'page' },
    params: ['interaction', 'decision', 'csrf_token'],
  },
  { path: '/logout', methods: { GET: 'page', POST: 'page', HEAD: 'page' }, params: logoutParams },
  { path: '/v2/logout', methods: { GET: 'page', POST: 'page', HEAD: 'page' }, params: logoutParams },
  { path: '/logout/confirm', methods: { POST: 'page' }, params: [...logoutParams, 'decision', 'csrf_token'] },
  {
    path: '/oauth/token',
    methods: { POST: 'json', OPTIONS: 'preflight' },
    params: [
      'grant_type',
      'code',
      'redirect_uri',
      'code_verifier',
      'refresh_token',
      'scope',
      'audience',
      'resource',
      ...clientAuthParams,
    ],
  },
  {
    path: '/userinfo',
    methods: { GET: 'json', POST: 'json', HEAD: 'json', OPTIONS: 'preflight' },
    params: ['access_token'],
  },
  {
    path: '/oauth/revoke',
    methods: { POST: 'json', OPTIONS: 'preflight' },
    params: ['token', 'token_type_hint', ...clientAuthParams],
  },
  {
    path: '/oauth/introspect',
    methods: { POST: 'json' },
    params: ['token', 'token_type_hint', ...clientAuthParams],
  },
  { path: '/oauth/revocations', methods: { GET: 'json', HEAD: 'json' }, params: ['after'] },
  { path: '/health', methods: { GET: 'static', HEAD: 'static' }, params: [] },
  { path: '/assets/warden.css', methods: { GET: 'static', HEAD: 'static' }, params: [] },
];

/** The values of `grant_type` the token endpoint knows, and some it does not. */
export const GRANT_TYPES = [
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password',
  'implicit',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
];

/** How a route answers `method`: its own kind, or an unknown route's 404 JSON. */
export function answerKind(endpoint: Endpoint | undefined, method: Method): AnswerKind {
  return endpoint?.methods[method] ?? 'json';
}
