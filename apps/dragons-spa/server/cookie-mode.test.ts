import { statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomToken } from '@warden/protocol/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Browser,
  CookieJar,
  inProcessFetch,
  startTestServer,
  type TestServer,
} from '../../../packages/server/test/harness.js';
import { createDragonsBff, type DragonsBff, dragonsSessionCookie } from './create-dragons-bff.js';
import { createSpaServer } from './create-spa-server.js';
import { readSpaServerEnv } from './spa-server-env.js';

const appOrigin = 'http://localhost:4200';
const apiOrigin = 'http://localhost:3001';
const indexHtml = '<!doctype html><title>Dragons</title><app-root></app-root>';

/**
 * The Dragons app server in cookie mode, wired from its environment as `main.ts` does, with the
 * real backend-for-frontend signing in at the in-process authorization server (shared fake clock)
 * and a stand-in Dragons API that records what reaches it.
 */
let t: TestServer;
let base: string;
let dragons: DragonsBff;
let app: ReturnType<typeof createSpaServer>;
const apiCalls: { url: string; authorization: string | null; cookie: string | null }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const clock = t.clock;
  const clientSecret = randomToken(32);
  await t.admin.addClient({
    type: 'web',
    clientId: 'dragons-web',
    secret: clientSecret,
    name: 'Dragons (cookie mode)',
    callbacks: [`${appOrigin}/bff/callback`],
    logoutUrls: [`${appOrigin}/`],
  });
  base = await mkdtemp(join(tmpdir(), 'dragons-cookie-'));
  const root = join(base, 'browser');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'index.html'), indexHtml);
  const env = readSpaServerEnv({
    DRAGONS_AUTH_MODE: 'cookie',
    DRAGONS_BFF_CLIENT_SECRET: clientSecret,
    DRAGONS_BFF_SECRET: randomToken(32),
    WARDEN_DATA_DIR: join(base, 'data'),
    SPA_ROOT: root,
  });
  const fetch = inProcessFetch(t, (request) => {
    if (new URL(request.url).origin !== apiOrigin) throw new TypeError(`fetch failed: ${request.url}`);
    apiCalls.push({
      url: request.url,
      authorization: request.headers.get('authorization'),
      cookie: request.headers.get('cookie'),
    });
    return Response.json([{ name: 'Smaug' }]);
  });
  dragons = createDragonsBff(env.cookie!, { clock, fetch });
  app = createSpaServer({ root: env.root, bff: dragons.bff });
});

afterAll(async () => {
  await dragons?.close();
  await t?.close();
  await rm(base, { recursive: true, force: true });
});

/** A browser tab on the app: its cookie jar for :4200, and the idp's own for :3000. */
class Tab {
  readonly jar = new CookieJar();
  readonly idp = new Browser(t);

  async send(path: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {}) {
    const response = await app.request(new URL(path, appOrigin).href, {
      ...init,
      headers: { cookie: this.jar.header(), ...init.headers },
    });
    this.jar.store(response);
    return response;
  }

  navigate(path: string) {
    return this.send(path, {
      headers: { accept: 'text/html', 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' },
    });
  }

  /** A same-origin `fetch` from the app's page. */
  call(path: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {}) {
    return this.send(path, {
      ...init,
      headers: {
        accept: 'application/json',
        'sec-fetch-site': 'same-origin',
        origin: appOrigin,
        ...init.headers,
      },
    });
  }

  async signIn(login: string, returnTo = '/'): Promise<Response> {
    const start = await this.navigate(`/bff/login?returnTo=${encodeURIComponent(returnTo)}`);
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.origin).toBe(new URL(t.issuer).origin);
    const page = await this.idp.get(`${authorize.pathname}${authorize.search}`);
    const answer = await this.idp.signIn(page.headers.get('location') ?? '', login);
    const callback = new URL(answer.headers.get('location') ?? '');
    expect(callback.origin + callback.pathname).toBe(`${appOrigin}/bff/callback`);
    return this.navigate(`${callback.pathname}${callback.search}`);
  }
}

describe('the Dragons app server in cookie mode', () => {
  it('tells the app it is in cookie mode, with the API on its own origin', async () => {
    const response = await app.request('/config.json');
    expect(await response.json()).toEqual({ mode: 'cookie', apiUrl: '/api/' });
  });

  it('lets the page connect to its own origin only', async () => {
    for (const path of ['/', '/config.json', '/bff/user']) {
      const csp = (await app.request(path)).headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("connect-src 'self';");
      expect(csp, path).toContain("script-src 'self'");
    }
  });

  it('answers a navigation to /bff/login with the sign-in, not with the app', async () => {
    const start = await new Tab().navigate('/bff/login?returnTo=/profile');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('client_id')).toBe('dragons-web');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${appOrigin}/bff/callback`);
    expect(authorize.searchParams.get('scope')).toBe(
      'openid profile email offline_access read:dragons read:orders',
    );
    expect(authorize.searchParams.get('audience')).toBe('http://localhost:3001/api/');
  });

  it('does not serve the app for API paths or unknown BFF paths', async () => {
    const tab = new Tab();
    for (const path of ['/api/dragons', '/bff/nothing-here']) {
      const response = await tab.navigate(path);
      expect(response.status, path).not.toBe(200);
      expect(await response.text(), path).not.toBe(indexHtml);
    }
  });

  it('signs an admin in with only a session cookie, tells roles, and forwards /api/ with the token', async () => {
    const tab = new Tab();
    const back = await tab.signIn('admin@example.com', '/profile');
    expect(back.headers.get('location')).toBe(`${appOrigin}/profile`);
    const cookie = back.headers.getSetCookie().find((value) => value.startsWith(`${dragonsSessionCookie}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(statSync(join(base, 'data', 'dragons-sessions.db')).mode & 0o777).toBe(0o600);

    const me = (await (await tab.call('/bff/user')).json()) as Record<string, never>;
    expect(me).toMatchObject({ isAuthenticated: true, user: { email: 'admin@example.com' } });
    expect(me.access).toMatchObject({ roles: ['admin'], scope: expect.stringContaining('read:orders') });
    expect(JSON.stringify(me)).not.toMatch(/eyJ/);

    const dragonsAnswer = await tab.call('/api/dragons');
    expect(dragonsAnswer.status).toBe(200);
    expect(await dragonsAnswer.json()).toEqual([{ name: 'Smaug' }]);
    const forwarded = apiCalls.at(-1);
    expect(forwarded?.url).toBe(`${apiOrigin}/api/dragons`);
    expect(forwarded?.authorization).toMatch(/^Bearer eyJ/);
    expect(forwarded?.cookie).toBeNull();
  });

  it('lists the sessions and ends them: a copied cookie stops working after logout', async () => {
    const laptop = new Tab();
    const phone = new Tab();
    await laptop.signIn('user@example.com');
    await phone.signIn('user@example.com');
    const { sessions } = (await (await laptop.call('/bff/sessions')).json()) as {
      sessions: { current: boolean }[];
    };
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);

    const copied = laptop.jar.get(dragonsSessionCookie);
    const logout = await laptop.call('/bff/logout', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ everywhere: true }),
    });
    expect(logout.status).toBe(200);
    const thief = new Tab();
    thief.jar.set(dragonsSessionCookie, copied ?? '');
    expect(await (await thief.call('/bff/user')).json()).toEqual({ isAuthenticated: false });
    expect(await (await phone.call('/bff/user')).json()).toEqual({ isAuthenticated: false });
    expect((await phone.call('/api/dragons')).status).toBe(401);
  });

  it('refuses an unsafe request from another site', async () => {
    const tab = new Tab();
    await tab.signIn('user@example.com');
    const forged = await tab.send('/bff/logout', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect(await (await tab.call('/bff/user')).json()).toMatchObject({ isAuthenticated: true });
  });
});
