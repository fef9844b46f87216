import { createMemoryStore, createSessionManager, type SessionManager } from '@warden/session';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptSessions } from '../src/accept-sessions.js';
import { createVerifier, type Verifier } from '../src/create-verifier.js';
import { ADAPTERS, type TestApp } from './adapter-apps.js';
import type { CaseRequest } from './cases.js';
import {
  baseOptions,
  createFakeFetch,
  EPOCH_MS,
  type Fixtures,
  loadFixtures,
  mintToken,
  nowSeconds,
} from './fixtures.js';

const APP_ORIGIN = 'http://localhost:4200';
const COOKIE = '__Host-dragons_session';

describe.each(ADAPTERS)('$name adapter with sessions accepted', (adapter) => {
  let f: Fixtures;
  let sessions: SessionManager;
  let verifier: Verifier;
  let app: TestApp;
  let handled: number;

  beforeEach(async () => {
    f = await loadFixtures();
    sessions = createSessionManager({
      store: createMemoryStore(),
      cookieName: COOKIE,
      clock: () => EPOCH_MS,
    });
    verifier = acceptSessions(createVerifier(baseOptions(createFakeFetch(f.jwks))), {
      sessions,
      allowedOrigins: [APP_ORIGIN],
    });
    handled = 0;
    app = await adapter.build(verifier, () => {
      handled++;
    });
  });
  afterEach(async () => {
    await app.close();
    await verifier.close();
  });

  /** A session as the backend-for-frontend leaves it, holding `token`; returns its Cookie header. */
  async function sessionHolding(token: string, userId = 'alice'): Promise<string> {
    const issued = await sessions.create(userId, {
      tokens: { accessToken: token, expiresAt: EPOCH_MS + 600_000 },
    });
    return `${COOKIE}=${issued.id}`;
  }

  async function send(request: Partial<CaseRequest> & { headers: Record<string, string> }) {
    const response = await app.send({ method: 'GET', path: '/api/dragons', ...request });
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  it('yields the same principal for the session as for its token, marked via session', async () => {
    const token = await mintToken(f);
    const bearer = await send({ headers: { authorization: `Bearer ${token}` } });
    const cookie = await send({ headers: { cookie: await sessionHolding(token) } });
    expect(bearer).toMatchObject({ status: 200, body: { via: 'bearer' } });
    expect(cookie).toMatchObject({ status: 200, body: { via: 'session' } });
    expect({ ...cookie.body, via: 'bearer' }).toEqual(bearer.body);
  });

  it('applies the route’s policies to session principals too', async () => {
    const cookie = await sessionHolding(await mintToken(f));
    const orders = await send({ path: '/api/orders', headers: { cookie } });
    expect(orders).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
    expect(handled).toBe(0);
  });

  it('lets a same-origin write through and refuses a cross-site one and one with no origin headers', async () => {
    const cookie = await sessionHolding(await mintToken(f));
    const post = (headers: Record<string, string>) =>
      send({
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: '{}',
      });
    expect((await post({ 'sec-fetch-site': 'same-origin', origin: APP_ORIGIN })).status).toBe(200);
    expect(await post({ 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toMatchObject({
      status: 403,
      body: { error: 'invalid_request' },
    });
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: 'https://evil.example' })).status).toBe(403);
    expect(handled).toBe(1);
  });

  it('refuses a destroyed session, a session whose token expired, and a forged cookie', async () => {
    const live = await sessionHolding(await mintToken(f));
    await sessions.destroy(live.slice(COOKIE.length + 1));
    expect((await send({ headers: { cookie: live } })).body).toMatchObject({ error: 'invalid_token' });
    const expired = await mintToken(f, { iat: nowSeconds() - 1200, exp: nowSeconds() - 600 });
    expect((await send({ headers: { cookie: await sessionHolding(expired) } })).status).toBe(401);
    expect((await send({ headers: { cookie: `${COOKIE}=${'A'.repeat(43)}` } })).status).toBe(401);
    expect(handled).toBe(0);
  });

  it('refuses a session whose token names another user', async () => {
    const cookie = await sessionHolding(await mintToken(f), 'mallory');
    expect(await send({ headers: { cookie } })).toMatchObject({
      status: 401,
      body: { error: 'invalid_token' },
    });
  });

  it('judges a request with a bearer token on the token alone, and one with neither as before', async () => {
    const cookie = await sessionHolding(await mintToken(f));
    const forged = await send({ headers: { cookie, authorization: 'Bearer not.a.token' } });
    expect(forged).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    const none = await send({ headers: {} });
    expect(none).toMatchObject({ status: 401, body: { error: 'invalid_request' } });
    const otherCookie = await send({ headers: { cookie: 'theme=dark' } });
    expect(otherCookie).toMatchObject({ status: 401, body: { error: 'invalid_request' } });
  });
});

describe('acceptSessions options', () => {
  it.each([
    ['sessions', { sessions: {} }],
    ['allowedOrigins', { allowedOrigins: [] }],
    ['allowedOrigins', { allowedOrigins: ['not an origin'] }],
  ])('names %s when it is wrong', async (name, change) => {
    const f = await loadFixtures();
    const verifier = createVerifier(baseOptions(createFakeFetch(f.jwks)));
    const options = {
      sessions: createSessionManager({ store: createMemoryStore(), clock: () => EPOCH_MS }),
      allowedOrigins: [APP_ORIGIN],
      ...change,
    };
    expect(() => acceptSessions(verifier, options as never)).toThrow(new RegExp(name));
  });
});
