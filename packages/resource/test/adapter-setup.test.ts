import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createJwtCheck, jwtCheck } from '../src/adapters/express.js';
import { createAuthenticateHook, wardenPlugin } from '../src/adapters/fastify.js';
import { type WardenEnv, wardenAuth } from '../src/adapters/hono.js';
import { protect } from '../src/adapters/web.js';
import { createVerifier } from '../src/create-verifier.js';
import { requireRoles } from '../src/policy.js';
import type { RevocationView } from '../src/revocation-view.js';
import { baseOptions, createFakeFetch, loadFixtures, mintToken } from './fixtures.js';

describe('adapters built from options', () => {
  it('express: createJwtCheck(options) is the article’s jwtCheck, and jwtCheck(verifier, ...policies) the same', async () => {
    const f = await loadFixtures();
    const check = createJwtCheck(baseOptions(createFakeFetch(f.jwks)));
    expect(jwtCheck).toBe(createJwtCheck);
    const app = express();
    app.get('/api/dragons', check, (req, res) => {
      res.json({ sub: req.auth?.sub });
    });
    app.get('/api/orders', jwtCheck(check.verifier, requireRoles('admin')), (_req, res) => {
      res.json({ orders: [] });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const token = await mintToken(f);
      const ok = await fetch(`http://127.0.0.1:${port}/api/dragons`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await ok.json()).toEqual({ sub: 'alice' });
      const denied = await fetch(`http://127.0.0.1:${port}/api/orders`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(denied.status).toBe(403);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('express: a failure that is not about the token goes to the error handler, never the route', async () => {
    const f = await loadFixtures();
    const check = createJwtCheck({
      ...baseOptions(createFakeFetch(f.jwks)),
      keys: { keys: [{ kty: 'RSA', alg: 'RS256', n: 'AQAB', e: 'AQAB' }] },
    });
    let routed = 0;
    const errors: unknown[] = [];
    const app = express();
    app.get('/api/dragons', check, (_req, res) => {
      routed++;
      res.end();
    });
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      errors.push(error);
      res.status(500).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/dragons`, {
        headers: { authorization: `Bearer ${await mintToken(f)}` },
      });
      expect(response.status).toBe(500);
      expect(routed).toBe(0);
      expect(errors[0]).toBeInstanceOf(TypeError);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fastify: the plugin takes verifier options, decorates the instance and closes what it built', async () => {
    const f = await loadFixtures();
    let closed = 0;
    const view: RevocationView = { isRevoked: () => false, staleness: () => 0, close: () => void closed++ };
    const app = Fastify();
    await app.register(wardenPlugin, { ...baseOptions(createFakeFetch(f.jwks)), revocation: { view } });
    app.get('/api/dragons', { preHandler: app.authenticate() }, async (request) => ({
      sub: request.auth?.sub,
    }));
    app.get('/open', async (request) => ({ auth: request.auth }));
    const token = await mintToken(f);
    const ok = await app.inject({ url: '/api/dragons', headers: { authorization: `Bearer ${token}` } });
    expect(ok.json()).toEqual({ sub: 'alice' });
    expect((await app.inject({ url: '/open' })).json()).toEqual({ auth: null });
    expect(app.warden.status().jwksFetchedAt).not.toBeNull();
    await app.close();
    // A view passed in belongs to the caller: the verifier does not close it.
    expect(closed).toBe(0);
  });

  it('fastify: the preHandler works without the plugin', async () => {
    const f = await loadFixtures();
    const verifier = createVerifier(baseOptions(createFakeFetch(f.jwks)));
    const app = Fastify();
    app.decorateRequest('auth', null);
    app.get(
      '/api/orders',
      { preHandler: createAuthenticateHook(verifier, requireRoles('admin')) },
      async () => 'orders',
    );
    const token = await mintToken(f, { roles: ['admin'] });
    const response = await app.inject({ url: '/api/orders', headers: { authorization: `Bearer ${token}` } });
    expect(response.body).toBe('orders');
    await app.close();
  });

  it('hono: wardenAuth(options) works, and the handler can still read a form body', async () => {
    const f = await loadFixtures();
    const app = new Hono<WardenEnv>();
    app.post(
      '/api/dragons',
      wardenAuth({ ...baseOptions(createFakeFetch(f.jwks)), tokenLocations: ['header', 'body'] }),
      async (c) => c.json({ sub: c.get('auth').sub, name: (await c.req.parseBody()).name }),
    );
    const response = await app.request('/api/dragons', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `access_token=${await mintToken(f)}&name=Falkor`,
    });
    expect(await response.json()).toEqual({ sub: 'alice', name: 'Falkor' });
  });

  it('web: protect passes extra arguments through and leaves the body readable', async () => {
    const f = await loadFixtures();
    const handler = protect(
      { ...baseOptions(createFakeFetch(f.jwks)), tokenLocations: ['body'] },
      async (request: Request, auth, env: { greeting: string }) =>
        Response.json({ text: `${env.greeting} ${auth.sub}`, body: (await request.formData()).get('name') }),
    );
    const response = await handler(
      new Request('http://localhost/api/dragons', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `access_token=${await mintToken(f)}&name=Puff`,
      }),
      { greeting: 'hello' },
    );
    expect(await response.json()).toEqual({ text: 'hello alice', body: 'Puff' });
  });

  it('every adapter refuses a policy that is not a function at setup', async () => {
    const f = await loadFixtures();
    const verifier = createVerifier(baseOptions(createFakeFetch(f.jwks)));
    expect(() => createJwtCheck(verifier, 'admin' as never)).toThrow(TypeError);
    expect(() => createJwtCheck(verifier).with('admin' as never)).toThrow(TypeError);
    expect(() => createAuthenticateHook(verifier, 'admin' as never)).toThrow(TypeError);
    expect(() => wardenAuth(verifier, 'admin' as never)).toThrow(TypeError);
    expect(() => protect(verifier, (() => new Response()) as never, 'admin' as never)).toThrow(TypeError);
    expect(() => protect(verifier, 'handler' as never)).toThrow(TypeError);
  });
});
