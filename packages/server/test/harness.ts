import { computeCodeChallenge, createCodeVerifier, randomToken } from '@warden/protocol';
import { createMemoryStore } from '@warden/session';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import { Admin } from '../src/admin/admin.js';
import type { ServerOptions } from '../src/config.js';
import { type AuthorizationServer, createAuthorizationServer } from '../src/create-authorization-server.js';
import { openStorage } from '../src/storage/open-storage.js';
import { openIsolatedPostgres } from './open-isolated-postgres.js';

export const issuer = 'http://localhost:3000/';
export const apiId = 'http://localhost:3001/api/';
export const spaCallback = 'http://localhost:4200/callback';
export const spaOrigin = 'http://localhost:4200';
export const password = 'correct horse battery';

export interface TestServer {
  server: AuthorizationServer;
  /** The issuer this server runs as (`issuer` unless overridden). */
  issuer: string;
  admin: Admin;
  spa: string;
  web: { client_id: string; client_secret: string };
  m2m: { client_id: string; client_secret: string };
  thirdParty: string;
  userId: string;
  adminUserId: string;
  /** The server's fake clock (epoch ms), for whatever else the test builds around the server. */
  clock: () => number;
  /** Advances the server's clock. */
  advance(seconds: number): void;
  request(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** Where a test server keeps its data. */
export interface TestStorageOptions {
  /** PostgreSQL (a schema of its own, dropped at `close()`) instead of in-memory SQLite. */
  databaseUrl?: string;
}

/**
 * An authorization server on in-memory SQLite (or PostgreSQL with `databaseUrl`) with a fake
 * clock starting at the test epoch (`WARDEN_TEST_EPOCH`, see vitest.config.ts), the Dragons API
 * (RBAC), an SPA, a confidential web client, an M2M client, a third-party SPA, a user and an
 * admin. Every component of the server reads that one clock (stores never read one of their own).
 */
export async function startTestServer(
  overrides: Partial<ServerOptions> = {},
  storage: TestStorageOptions = {},
): Promise<TestServer> {
  const opened = storage.databaseUrl
    ? await openIsolatedPostgres(storage.databaseUrl)
    : await openStorage({ sqliteFile: ':memory:' });
  let now = inject('testEpoch');
  const server = createAuthorizationServer({
    issuer,
    storage: opened.storage,
    sessionStore: createMemoryStore(),
    secret: randomToken(32),
    clock: () => now,
    ...overrides,
  });
  const admin = new Admin(server.context);
  await admin.addApi({
    identifier: apiId,
    name: 'Dragons API',
    rbac: true,
    scopes: ['read:dragons', 'read:orders'],
  });
  await admin.addRole('admin', 'Sees orders', [{ api: apiId, permission: 'read:orders' }]);
  const spa = await admin.addClient({
    type: 'spa',
    name: 'Dragons',
    callbacks: [spaCallback],
    origins: [spaOrigin],
    logoutUrls: ['http://localhost:4200/'],
  });
  const web = await admin.addClient({
    type: 'web',
    name: 'Dragons Web',
    callbacks: ['http://localhost:5000/callback'],
    logoutUrls: ['http://localhost:5000/'],
  });
  const m2m = await admin.addClient({ type: 'm2m', name: 'Dragon Feeder', apis: [apiId] });
  const third = await admin.addClient({
    type: 'spa',
    name: 'Dragon Fan Site',
    callbacks: ['https://fans.example/callback'],
    thirdParty: true,
  });
  const user = await admin.addUser({
    email: 'user@example.com',
    password,
    name: 'Bilbo Baggins',
    username: 'bilbo',
  });
  const adminUser = await admin.addUser({
    email: 'admin@example.com',
    password,
    name: 'Daenerys',
    roles: ['admin'],
  });
  return {
    server,
    issuer: server.context.config.issuer,
    admin,
    spa: spa.client_id,
    web: web as { client_id: string; client_secret: string },
    m2m: m2m as { client_id: string; client_secret: string },
    thirdParty: third.client_id,
    userId: user.user_id,
    adminUserId: adminUser.user_id,
    clock: server.context.config.clock,
    advance(seconds) {
      now += seconds * 1000;
    },
    request: async (path, init) => server.app.request(path, init),
    close: () => opened.close(),
  };
}

/**
 * Registers hooks that start a test server (`startTestServer(overrides)`) and close it again: around
 * each test by default, or once around all the tests of the enclosing describe block (or file) with
 * `scope: 'all'`. Returns a getter for the server running now; call the getter inside tests and
 * hooks only, not while the tests are being collected.
 */
export function useTestServer(
  setup: { scope?: 'each' | 'all'; overrides?: Partial<ServerOptions> } & TestStorageOptions = {},
): () => TestServer {
  const [before, after] = setup.scope === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  let current: TestServer | undefined;
  before(async () => {
    current = await startTestServer(setup.overrides, setup);
  });
  after(async () => {
    const running = current;
    current = undefined;
    await running?.close();
  });
  return () => {
    if (!current) throw new Error('no test server is running here: call the getter inside a test');
    return current;
  };
}

/** Registers an M2M client named `name` for `apis`; returns its id and secret. */
export async function addM2mClient(
  t: TestServer,
  name: string,
  apis: string[],
): Promise<{ client_id: string; client_secret: string }> {
  const client = await t.admin.addClient({ type: 'm2m', name, apis });
  return client as { client_id: string; client_secret: string };
}

/** A browser's cookie jar, enough for the idp's cookies. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/max-age=0/i.test(header) || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Sets a cookie by hand (e.g. one planted by an attacker, or copied from another browser). */
  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }
}

/** A browser at the idp: follows the hosted pages with cookies and same-origin form posts. */
export class Browser {
  readonly jar = new CookieJar();
  constructor(private readonly t: TestServer) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    const response = await this.t.request(url, {
      headers: { cookie: this.jar.header(), 'sec-fetch-site': 'none', ...headers },
    });
    this.jar.store(response);
    return response;
  }

  async post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await this.t.request(path, {
      method: 'POST',
      headers: {
        cookie: this.jar.header(),
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(this.t.issuer).origin,
        'sec-fetch-site': 'same-origin',
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
    this.jar.store(response);
    return response;
  }

  /** Submits the sign-in form the `/u/login` page at `location` shows. */
  async signIn(location: string, login: string, pw = password): Promise<Response> {
    const page = await this.get(location);
    const html = await page.text();
    return this.post('/u/login', { ...hiddenFields(html), login, password: pw });
  }
}

/** The hidden inputs of the first form in an HTML page. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name !== undefined && value !== undefined) fields[name] = htmlText(value);
  }
  return fields;
}

/** Unescapes the few entities Hono's renderer writes in text and attribute values. */
export function htmlText(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export async function pkce(): Promise<PkcePair> {
  const verifier = createCodeVerifier();
  return { verifier, challenge: await computeCodeChallenge(verifier) };
}

/** `/authorize?…` for the SPA with PKCE, state and nonce. */
export function authorizeUrl(params: Record<string, string>): string {
  return `/authorize?${new URLSearchParams({ response_type: 'code', ...params }).toString()}`;
}

/**
 * Runs the whole browser part of the code flow for the SPA: authorize, sign in, and returns the
 * code (and the browser, whose SSO cookie lets a second app sign in without a password).
 */
export async function signInWithCode(
  t: TestServer,
  options: {
    login?: string;
    scope?: string;
    audience?: string | null;
    browser?: Browser;
    clientId?: string;
    redirectUri?: string;
  } = {},
): Promise<{ code: string; verifier: string; browser: Browser; state: string; nonce: string }> {
  const browser = options.browser ?? new Browser(t);
  const { verifier, challenge } = await pkce();
  const state = randomToken(16);
  const nonce = randomToken(16);
  const params: Record<string, string> = {
    client_id: options.clientId ?? t.spa,
    redirect_uri: options.redirectUri ?? spaCallback,
    scope: options.scope ?? 'openid profile email offline_access read:dragons',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  if (options.audience !== null) params.audience = options.audience ?? apiId;
  let response = await browser.get(authorizeUrl(params));
  let location = response.headers.get('location') ?? '';
  if (location.startsWith(`${t.issuer}u/login`)) {
    response = await browser.signIn(location, options.login ?? 'user@example.com');
    location = response.headers.get('location') ?? '';
  }
  if (!location) throw new Error(`no redirect: ${response.status} ${await response.text()}`);
  const url = new URL(location);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`no code: ${response.status} ${location} ${await response.text()}`);
  return { code, verifier, browser, state, nonce };
}

/** POSTs a form to the token endpoint. */
export function tokenRequest(
  t: TestServer,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return t.request('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/**
 * A `fetch` that serves requests to the test server's origin in-process (`t.request`), and hands
 * every other request to `elsewhere` (by default it fails, as an unreachable host would): for code
 * that talks to the idp over the network, such as a backend-for-frontend.
 */
export function inProcessFetch(
  t: TestServer,
  elsewhere: (request: Request) => Response | Promise<Response> = (request) => {
    throw new TypeError(`fetch failed: no route to ${new URL(request.url).origin}`);
  },
): typeof globalThis.fetch {
  const idpOrigin = new URL(t.issuer).origin;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== idpOrigin) return elsewhere(request);
    return t.request(`${url.pathname}${url.search}`, {
      method: request.method,
      headers: request.headers,
      ...(request.method !== 'GET' && request.method !== 'HEAD' && { body: await request.text() }),
    });
  }) as typeof globalThis.fetch;
}
