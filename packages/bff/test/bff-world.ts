import { decodeJwt, randomToken } from '@warden/protocol/core';
import { createMemoryStore, createSessionManager, type SessionManager } from '@warden/session';
import {
  apiId,
  Browser,
  CookieJar,
  inProcessFetch,
  startTestServer,
  type TestServer,
} from '../../server/test/harness.js';
import type { BffOptions } from '../src/bff-options.js';
import { type Bff, createBff } from '../src/create-bff.js';

export const appOrigin = 'http://localhost:4200';
export const apiOrigin = 'http://localhost:3001';
export const sessionCookie = '__Host-dragons_session';

/** What the fake API saw of one forwarded request. */
export interface ApiCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The authorization server (in-process, fake clock), a BFF for the Dragons app on :4200 registered
 * as a confidential client, and a stand-in API on :3001 that records what reaches it.
 */
export interface BffWorld {
  t: TestServer;
  bff: Bff;
  sessions: SessionManager;
  apiCalls: ApiCall[];
  /** Moves the idp's and the BFF's clocks together. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

export async function startBffWorld(overrides: Partial<BffOptions> = {}): Promise<BffWorld> {
  const t = await startTestServer();
  // The BFF reads the idp's fake clock through its session manager: one clock for the whole world.
  const clock = t.clock;
  const client = (await t.admin.addClient({
    type: 'web',
    name: 'Dragons (cookie mode)',
    callbacks: [`${appOrigin}/bff/callback`],
    logoutUrls: [`${appOrigin}/`],
  })) as { client_id: string; client_secret: string };
  const sessions = createSessionManager({ store: createMemoryStore(), cookieName: sessionCookie, clock });
  const apiCalls: ApiCall[] = [];
  const fetch = inProcessFetch(t, async (request) => {
    const url = new URL(request.url);
    if (url.origin !== apiOrigin) throw new TypeError(`fetch failed: no route to ${url.origin}`);
    const call: ApiCall = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text(),
    };
    apiCalls.push(call);
    const sub = decodeJwt((call.headers.authorization ?? '').replace(/^Bearer /, '')).payload.sub;
    return new Response(JSON.stringify({ path: url.pathname, sub }), {
      headers: { 'content-type': 'application/json', 'set-cookie': 'api_tracker=1; Path=/' },
    });
  });
  const bff = createBff({
    issuer: t.issuer,
    clientId: client.client_id,
    clientSecret: client.client_secret,
    appOrigin,
    audience: apiId,
    scope: 'openid profile email offline_access read:dragons',
    apis: [{ prefix: '/api/', target: `${apiOrigin}/api/` }],
    sessions,
    secret: new TextEncoder().encode(randomToken(32)),
    fetch,
    ...overrides,
  });
  return {
    t,
    bff,
    sessions,
    apiCalls,
    advance(seconds) {
      t.advance(seconds);
    },
    close: () => t.close(),
  };
}

/** A browser tab on the Dragons app: a cookie jar for :4200 and the idp's own browser for :3000. */
export class AppBrowser {
  readonly jar = new CookieJar();
  readonly idp: Browser;

  constructor(private readonly world: BffWorld) {
    this.idp = new Browser(world.t);
  }

  /** A same-origin request from the app's page (what `fetch('/bff/…')` sends). */
  request(
    path: string,
    init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {},
  ): Promise<Response> {
    return this.send(path, {
      ...init,
      headers: { 'sec-fetch-site': 'same-origin', origin: appOrigin, ...init.headers },
    });
  }

  /** A top-level navigation typed in the address bar or followed from the idp. */
  navigate(path: string): Promise<Response> {
    return this.send(path, { headers: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' } });
  }

  async send(
    path: string,
    init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> },
  ): Promise<Response> {
    const response = await this.world.bff.fetch(
      new Request(new URL(path, appOrigin), {
        ...init,
        headers: { cookie: this.jar.header(), ...init.headers },
      }),
    );
    this.jar.store(response);
    return response;
  }

  /**
   * Runs the whole sign-in: `/bff/login`, the idp's hosted login (skipped when the idp session is
   * live), and the callback. Returns the callback's answer (a redirect into the app).
   */
  async signIn(login = 'user@example.com', returnTo = '/'): Promise<Response> {
    const start = await this.navigate(`/bff/login?returnTo=${encodeURIComponent(returnTo)}`);
    const authorize = new URL(start.headers.get('location') ?? '');
    let answer = await this.idp.get(`${authorize.pathname}${authorize.search}`);
    let location = answer.headers.get('location') ?? '';
    if (location.startsWith(`${this.world.t.issuer}u/login`)) {
      answer = await this.idp.signIn(location, login);
      location = answer.headers.get('location') ?? '';
    }
    if (!location.startsWith(`${appOrigin}/bff/callback`)) {
      throw new Error(`sign-in did not come back: ${answer.status} ${location}`);
    }
    const callback = new URL(location);
    return this.navigate(`${callback.pathname}${callback.search}`);
  }

  async user(): Promise<{
    isAuthenticated: boolean;
    user?: Record<string, unknown>;
    access?: Record<string, unknown>;
  }> {
    return (await this.request('/bff/user')).json() as never;
  }
}
