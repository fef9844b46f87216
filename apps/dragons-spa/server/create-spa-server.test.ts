import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSpaServer, type SpaSettings } from './create-spa-server.js';

const settings: SpaSettings = {
  issuer: 'http://localhost:3000/',
  clientId: 'dragons-spa',
  audience: 'http://localhost:3001/api/',
  apiUrl: 'http://localhost:3001/api/',
  scope: 'openid profile email read:dragons read:orders',
};
const indexHtml = '<!doctype html><title>Dragons</title><app-root></app-root>';
let base: string;
let root: string;
let app: ReturnType<typeof createSpaServer>;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'dragons-spa-'));
  root = join(base, 'browser');
  await mkdir(join(root, 'icons'), { recursive: true });
  await Promise.all([
    writeFile(join(root, 'index.html'), indexHtml),
    writeFile(join(root, 'main-WIJ2NS5K.js'), 'console.log("dragons")'),
    writeFile(join(root, 'styles-VJTRRMYW.css'), 'body{}'),
    writeFile(join(root, 'ngsw.json'), '{}'),
    writeFile(join(root, 'ngsw-worker.js'), '// worker'),
    writeFile(join(root, 'manifest.webmanifest'), '{}'),
    writeFile(join(root, 'icons', 'icon-192.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47])),
  ]);
  await writeFile(join(base, 'secret.txt'), 'outside the root');
  app = createSpaServer({ root, settings });
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = { accept: 'text/html' }) =>
  app.request(path, { headers });

describe('the Dragons app server', () => {
  it('serves /config.json from its settings, never cached', async () => {
    const response = await get('/config.json', { accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.json()).toEqual({ mode: 'token', ...settings });
  });

  it('serves index.html for / and for navigations to the app routes, revalidated every time', async () => {
    for (const path of ['/', '/profile', '/callback?code=abc&state=xyz', '/bff/login']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(indexHtml);
    }
  });

  it('keeps hashed bundles for a year and the service worker files for no time', async () => {
    const bundle = await get('/main-WIJ2NS5K.js', { accept: '*/*' });
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/styles-VJTRRMYW.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const path of ['/ngsw.json', '/ngsw-worker.js', '/manifest.webmanifest']) {
      expect((await get(path)).headers.get('cache-control'), path).toBe('no-cache');
    }
    expect((await get('/manifest.webmanifest')).headers.get('content-type')).toMatch(
      /^application\/manifest\+json/,
    );
    expect((await get('/icons/icon-192.png')).headers.get('content-type')).toBe('image/png');
  });

  it('answers 304 to a revalidation with the same ETag', async () => {
    const first = await get('/index.html');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await get('/index.html', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('answers 404 for missing assets and for paths that try to leave the root', async () => {
    for (const path of [
      '/missing-ABCDEFGH.js',
      '/icons/none.png',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/.env',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const response = await get(path, { accept: '*/*' });
      expect(response.status, path).toBe(404);
    }
  });

  it('does not answer JSON requests for unknown paths with the app', async () => {
    expect((await get('/api/dragons', { accept: 'application/json' })).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD with 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const response = await app.request('/', { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await app.request('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('sends the security headers on every answer', async () => {
    for (const response of [
      await get('/'),
      await get('/missing.png'),
      await app.request('/', { method: 'POST' }),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("connect-src 'self' http://localhost:3000 http://localhost:3001");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('is given the settings of one mode', () => {
    expect(() => createSpaServer({ root })).toThrow(TypeError);
  });
});
