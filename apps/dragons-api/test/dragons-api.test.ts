import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiId } from '../../../packages/server/test/harness.js';
import {
  type HttpTestServer,
  machineAccessToken,
  startHttpTestServer,
  userAccessToken,
} from '../../../packages/server/test/http-test-server.js';
import { createDragonsApi, type DragonsApi } from '../src/create-dragons-api.js';

const appOrigin = 'http://localhost:4200';
/**
 * The idp and the API share one fake clock standing at the test epoch (`WARDEN_TEST_EPOCH`), so
 * anything in the API that read the real clock instead of the one it was given would refuse the
 * idp's tokens when the epoch is far from today.
 */
const epoch = inject('testEpoch');
const clock = () => epoch;

describe('the Dragons API with a real idp over HTTP', () => {
  let idp: HttpTestServer;
  let api: DragonsApi;
  let server: Server;
  let base: string;
  let userToken: string;
  let adminToken: string;
  let machineToken: string;

  beforeAll(async () => {
    idp = await startHttpTestServer({ clock });
    api = createDragonsApi({
      issuer: idp.issuer,
      audience: apiId,
      allowedOrigins: [appOrigin],
      verifier: { clock },
    });
    server = createServer(api.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userToken = await userAccessToken(idp.t, 'user@example.com');
    adminToken = await userAccessToken(idp.t, 'admin@example.com');
    machineToken = await machineAccessToken(idp.t, apiId);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await api.close();
    await idp.close();
  });

  function get(path: string, token?: string, headers: Record<string, string> = {}) {
    return fetch(`${base}${path}`, {
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  }

  it('serves the six dragons to a signed-in user and to a machine client', async () => {
    for (const token of [userToken, machineToken]) {
      const response = await get('/api/dragons', token);
      expect(response.status).toBe(200);
      const list = (await response.json()) as { name: string; origin: string; description: string }[];
      expect(list.map((dragon) => dragon.name)).toEqual([
        'Drogon',
        'Viserion',
        'Rhaegal',
        'Falkor',
        'Smaug',
        'Puff',
      ]);
      expect(list.find((dragon) => dragon.name === 'Smaug')?.origin).toBe('The Hobbit');
      expect(list.every((dragon) => dragon.description.length > 20)).toBe(true);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('answers 401 with a Bearer challenge and no data when the token is missing or bad', async () => {
    const missing = await get('/api/dragons');
    expect(missing.status).toBe(401);
    const challenge = missing.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="[^"]+"/);
    // RFC 6750 §3.1: a request without credentials gets no error code.
    expect(challenge).not.toContain('error=');

    const tampered = `${userToken.slice(0, -4)}AAAA`;
    for (const token of ['not-a-jwt', tampered]) {
      const response = await get('/api/dragons', token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(JSON.stringify(await response.json())).not.toContain('Drogon');
    }
  });

  it('shows orders to an admin only, from the role in the token', async () => {
    const forUser = await get('/api/orders', userToken);
    expect(forUser.status).toBe(403);
    expect(forUser.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect(((await forUser.json()) as { error: string }).error).toBe('insufficient_scope');

    expect((await get('/api/orders', machineToken)).status).toBe(403);

    const forAdmin = await get('/api/orders', adminToken);
    expect(forAdmin.status).toBe(200);
    const list = (await forAdmin.json()) as { id: string; total: number; status: string }[];
    expect(list.length).toBeGreaterThan(2);
    expect(list[0]).toMatchObject({ id: expect.any(String), total: expect.any(Number) });
  });

  it('describes the caller at /api/me', async () => {
    const user = (await (await get('/api/me', userToken)).json()) as Record<string, unknown>;
    expect(user).toMatchObject({ sub: idp.t.userId, clientId: idp.t.spa, roles: [], via: 'bearer' });
    expect(user.scopes).toContain('read:dragons');
    const admin = (await (await get('/api/me', adminToken)).json()) as Record<string, unknown>;
    expect(admin).toMatchObject({ sub: idp.t.adminUserId, roles: ['admin'], permissions: ['read:orders'] });
    const machine = (await (await get('/api/me', machineToken)).json()) as Record<string, unknown>;
    expect(machine).toMatchObject({ sub: idp.t.m2m.client_id, clientId: idp.t.m2m.client_id, roles: [] });
    expect((await get('/api/me')).status).toBe(401);
  });

  it("allows CORS from the Dragons app's origin only", async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/api/dragons`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const allowed = await preflight(appOrigin);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('GET');

    for (const origin of ['http://evil.example', 'http://localhost:4201', 'null']) {
      const refused = await preflight(origin);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('access-control-allow-headers')).toBeNull();
    }

    const fromApp = await get('/api/dragons', userToken, { origin: appOrigin });
    expect(fromApp.headers.get('access-control-allow-origin')).toBe(appOrigin);
    expect(fromApp.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
    expect(fromApp.headers.get('vary')).toContain('Origin');
    const fromElsewhere = await get('/api/dragons', userToken, { origin: 'http://evil.example' });
    expect(fromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers unknown paths with a JSON 404, and reports its view of the issuer at /health', async () => {
    const missing = await get('/api/dragons/nope', userToken);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
    const health = (await (await get('/health')).json()) as {
      status: string;
      revocation: { connected: boolean } | null;
    };
    expect(health.status).toBe('ok');
    expect(health.revocation?.connected).toBe(true);
  });

  it('refuses bad options with a TypeError naming them', () => {
    expect(() =>
      createDragonsApi({ issuer: idp.issuer, allowedOrigins: ['http://localhost:4200/'] }),
    ).toThrow(/allowedOrigins/);
    expect(() => createDragonsApi({ issuer: 'not a url' })).toThrow(/issuer/);
  });
});
