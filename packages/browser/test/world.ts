import { inject } from 'vitest';
import {
  apiId,
  Browser,
  spaCallback,
  spaOrigin,
  startTestServer,
  type TestServer,
} from '../../server/test/harness.js';
import type { ClientOptions } from '../src/client-options.js';
import { createClient, type WardenClient } from '../src/create-client.js';
import { BroadcastHub, FakeLocks, FakeStorage, FakeWindow } from './fake-browser.js';

export { apiId, spaCallback, spaOrigin };
export const apiOrigin = 'http://localhost:3001';
export const home = `${spaOrigin}/`;

/** A request some tab made, as the network saw it. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The form fields of a form POST. */
  form?: URLSearchParams;
}

export interface Tab {
  win: FakeWindow;
  client: WardenClient;
}

type Handler = (request: Request) => Response | Promise<Response>;

/** Headers a page's fetch may send without a CORS preflight (Fetch standard, CORS-safelisted). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language', 'content-type']);
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * One browser profile talking to the real Warden server (in process, fake clock), a fake Dragons
 * API and any other origin. Tabs share localStorage, BroadcastChannels, Web Locks and the idp's
 * cookies; each has its own sessionStorage and address bar. Calls from the SPA to the idp go
 * through a CORS check like a browser's.
 */
export class World {
  readonly requests: SeenRequest[] = [];
  /** Every successful token endpoint answer, in order. */
  readonly issued: { access_token: string; id_token?: string; refresh_token?: string }[] = [];
  readonly hub = new BroadcastHub();
  readonly locks = new FakeLocks();
  readonly localStorage = new FakeStorage();
  /** The idp's cookies in this profile. */
  idp: Browser;
  readonly #clock: { now: number };
  /** The Dragons API; replace it to test answers. */
  api: Handler = (request) => Response.json({ authorization: request.headers.get('authorization') });
  /** Any origin but the idp's and the API's. */
  elsewhere: Handler = () => new Response('ok');
  /** Rewrites the idp's answers (to play a compromised or buggy idp). */
  rewrite: (request: SeenRequest, response: Response) => Response | Promise<Response> = (_, response) =>
    response;

  private constructor(
    readonly t: TestServer,
    clock: { now: number },
  ) {
    this.idp = new Browser(t);
    this.#clock = clock;
  }

  /** Starts the idp; it and every tab share one fake clock. */
  static async start(): Promise<World> {
    const clock = { now: inject('testEpoch') };
    const t = await startTestServer({ clock: () => clock.now });
    return new World(t, clock);
  }

  get now(): number {
    return this.#clock.now;
  }

  close(): Promise<void> {
    return this.t.close();
  }

  /** Drops the idp's cookies (as if the idp session had ended or never existed). */
  forgetIdpSession(): void {
    this.idp = new Browser(this.t);
  }

  advance(seconds: number): void {
    this.#clock.now += seconds * 1000;
  }

  /** The `fetch` every tab uses. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const seen: SeenRequest = { method: request.method, url, headers: new Headers(request.headers) };
    if (request.headers.get('content-type') === 'application/x-www-form-urlencoded') {
      seen.form = new URLSearchParams(await request.clone().text());
    }
    this.requests.push(seen);
    if (url.origin === new URL(this.t.issuer).origin) return this.#callIdp(request, seen);
    if (url.origin === apiOrigin) return this.api(request);
    return this.elsewhere(request);
  };

  async #callIdp(request: Request, seen: SeenRequest): Promise<Response> {
    const headers = new Headers(request.headers);
    headers.set('origin', spaOrigin);
    if (needsPreflight(request)) {
      const preflight = await this.t.server.app.request(request.url, {
        method: 'OPTIONS',
        headers: { origin: spaOrigin, 'access-control-request-method': request.method },
      });
      if (preflight.status !== 204) throw new TypeError(`CORS preflight refused for ${request.url}`);
    }
    const response = await this.t.server.app.request(new Request(request, { headers }));
    if (response.headers.get('access-control-allow-origin') !== spaOrigin) {
      throw new TypeError(`CORS refused the answer of ${request.url}`);
    }
    const answer = await this.rewrite(seen, response);
    if (seen.url.pathname === '/oauth/token' && answer.ok) this.issued.push(await answer.clone().json());
    return answer;
  }

  /** Token endpoint calls with this grant type. */
  grants(grantType: string): SeenRequest[] {
    return this.requests.filter(
      (r) => r.url.pathname === '/oauth/token' && r.form?.get('grant_type') === grantType,
    );
  }

  /**
   * Opens a tab with a client of the Dragons SPA: at `href` (default the home page), with its own
   * sessionStorage unless one is given (a reload keeps it), and with the profile's
   * BroadcastChannels and Web Locks unless `isolated` (a browser without them).
   */
  openTab(
    options: Partial<ClientOptions> = {},
    tab: { href?: string; sessionStorage?: FakeStorage; isolated?: boolean } = {},
  ): Tab {
    const win = new FakeWindow({
      href: tab.href ?? home,
      localStorage: this.localStorage,
      ...(tab.sessionStorage && { sessionStorage: tab.sessionStorage }),
      ...(!tab.isolated && { hub: this.hub, locks: this.locks }),
    });
    const client = createClient({
      issuer: this.t.issuer,
      clientId: this.t.spa,
      redirectUri: spaCallback,
      audience: apiId,
      scope: 'openid profile email read:dragons',
      apiOrigins: [apiOrigin],
      fetch: this.fetch,
      window: win,
      clock: () => this.now,
      ...options,
    });
    return { win, client };
  }

  /**
   * What the browser does with a navigation to the idp's `/authorize`: follows the idp (signing in
   * on its hosted form as `login` when it asks) and lands on the SPA's callback, whose URL it
   * returns.
   */
  async visitAuthorize(url: string, login = 'user@example.com'): Promise<string> {
    let response = await this.idp.get(url);
    let location = response.headers.get('location') ?? '';
    if (location.startsWith(`${this.t.issuer}u/login`)) {
      response = await this.idp.signIn(location, login);
      location = response.headers.get('location') ?? '';
    }
    if (!location.startsWith(spaCallback)) {
      throw new Error(`the idp did not return to the app: ${response.status} ${location}`);
    }
    return location;
  }

  /** Follows the tab's last navigation through the idp and puts the callback in its address bar. */
  async returnFromIdp(tab: Tab, login?: string): Promise<string> {
    const callback = await this.visitAuthorize(tab.win.lastNavigation(), login);
    tab.win.location.href = callback;
    return callback;
  }

  /** Interactive sign-in in `tab`: login(), the idp's form, back to the callback, code exchange. */
  async signIn(tab: Tab, login?: string): Promise<{ returnTo: string }> {
    await tab.client.login();
    await this.returnFromIdp(tab, login);
    return tab.client.handleRedirectCallback();
  }
}

function needsPreflight(request: Request): boolean {
  if (!['GET', 'HEAD', 'POST'].includes(request.method)) return true;
  for (const [name, value] of request.headers) {
    if (!SAFELISTED.has(name)) return true;
    if (name === 'content-type' && !SIMPLE_TYPES.has(value.split(';')[0]!.trim().toLowerCase())) return true;
  }
  return false;
}

/** Waits until queued BroadcastChannel messages and their handlers have run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
