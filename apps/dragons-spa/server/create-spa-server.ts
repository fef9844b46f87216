import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Bff } from '@warden/bff';
import { Hono } from 'hono';

/** Token mode: the runtime settings the app reads from /config.json before it starts. */
export interface SpaSettings {
  issuer: string;
  clientId: string;
  audience: string;
  apiUrl: string;
  scope: string;
}

export interface SpaServerOptions {
  /** The directory of the production build. */
  root: string;
  /** Token mode: what /config.json tells the app (`{ mode: 'token', ...settings }`). */
  settings?: SpaSettings;
  /**
   * Cookie mode: the backend-for-frontend to mount on this origin (its routes and API prefixes);
   * /config.json then says `{ mode: 'cookie', apiUrl: <the first API prefix> }`.
   */
  bff?: Pick<Bff, 'config' | 'fetch'>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NO_CACHE = 'no-cache';
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'public, max-age=3600';
/** Files the browser must revalidate every time: they name the current build. */
const ALWAYS_REVALIDATE: ReadonlySet<string> = new Set([
  '/index.html',
  '/ngsw.json',
  '/ngsw-worker.js',
  '/safety-worker.js',
  '/worker-basic.min.js',
  '/manifest.webmanifest',
]);
/** The bundler's content-hashed names (`main-WIJ2NS5K.js`, `styles-VJTRRMYW.css`, `chunk-….js`). */
const HASHED = /-[A-Z0-9]{8}\.(?:js|css)$/;

/**
 * The Dragons app's server as a Hono app: the production build from `root`, `/config.json`
 * from `settings`, index.html for navigations to the app's routes, security headers on every
 * answer (a CSP with scripts and styles from this origin only, connections to this origin, and in
 * token mode the idp and the API), no-cache for the files that name the build, a year for hashed
 * bundles. In cookie mode `bff` answers its routes (`/bff/*`) and API prefixes (`/api/*`) before
 * anything else. Answers 404 for a missing file, 405 for methods other than GET and HEAD. It
 * serves no directory listings and nothing outside `root`. Throws `TypeError` unless exactly one
 * of `settings` and `bff` is given.
 */
export function createSpaServer(options: SpaServerOptions): Hono {
  const { settings, bff } = options;
  if ((settings === undefined) === (bff === undefined)) {
    throw new TypeError('options: give settings (token mode) or bff (cookie mode), not both');
  }
  const root = normalize(options.root);
  const headers = securityHeaders(bff ? [] : [settings!.issuer, settings!.apiUrl]);
  const config = JSON.stringify(
    bff ? { mode: 'cookie', apiUrl: bff.config.apis[0]?.prefix ?? '/api/' } : { mode: 'token', ...settings },
  );
  const app = new Hono();

  app.use(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  });

  app.get('/config.json', (c) =>
    c.body(config, 200, { 'content-type': CONTENT_TYPES['.json']!, 'cache-control': NO_CACHE }),
  );

  // Cookie mode: the sign-in routes and the API paths belong to the backend-for-frontend, never
  // to the app's files or its index.html fallback.
  if (bff) {
    const forward = (c: { req: { raw: Request } }) => bff.fetch(c.req.raw);
    app.all(`${bff.config.basePath}/*`, forward);
    for (const api of bff.config.apis) app.all(`${api.prefix}*`, forward);
  }

  app.get('*', async (c) => {
    const path = readPath(c.req.path);
    if (path === undefined) return notFound();
    const file = await findFile(root, path === '/' ? '/index.html' : path);
    if (file) return sendFile(file, c.req.header('if-none-match'));
    if (isNavigation(path, c.req.header('accept'))) {
      const index = await findFile(root, '/index.html');
      if (index) return sendFile(index, c.req.header('if-none-match'));
    }
    return notFound();
  });

  app.all('*', () => new Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
  app.onError(() => new Response('Internal Server Error', { status: 500 }));
  return app;
}

interface FoundFile {
  urlPath: string;
  fsPath: string;
  size: number;
  mtimeMs: number;
}

/** The decoded path, or undefined for one that tries to leave the root or is not text. */
function readPath(raw: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (path.includes('\0') || path.includes('\\')) return undefined;
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..' || segment.startsWith('.'))) return undefined;
  return path;
}

async function findFile(root: string, urlPath: string): Promise<FoundFile | undefined> {
  const fsPath = normalize(join(root, urlPath));
  if (!fsPath.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) return undefined;
  try {
    const info = await stat(fsPath);
    return info.isFile() ? { urlPath, fsPath, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

async function sendFile(file: FoundFile, ifNoneMatch: string | undefined): Promise<Response> {
  const etag = `W/"${file.size.toString(16)}-${Math.trunc(file.mtimeMs).toString(16)}"`;
  const headers = {
    'content-type': CONTENT_TYPES[extname(file.urlPath).toLowerCase()] ?? 'application/octet-stream',
    'cache-control': cacheControl(file.urlPath),
    etag,
  };
  if (ifNoneMatch === etag) return new Response(null, { status: 304, headers });
  return new Response(await readFile(file.fsPath), {
    status: 200,
    headers: { ...headers, 'content-length': String(file.size) },
  });
}

function cacheControl(urlPath: string): string {
  if (ALWAYS_REVALIDATE.has(urlPath)) return NO_CACHE;
  if (HASHED.test(urlPath)) return IMMUTABLE;
  return SHORT;
}

/** A page of the app (no file extension) asked for by a browser, not a missing asset. */
function isNavigation(path: string, accept: string | undefined): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last.includes('.')) return false;
  return accept === undefined || accept.includes('text/html') || accept.includes('*/*');
}

function notFound(): Response {
  return new Response('Not Found', {
    status: 404,
    headers: { 'content-type': CONTENT_TYPES['.txt']!, 'cache-control': NO_CACHE },
  });
}

/** The CSP allows connections to this origin and to `connectTo` (token mode: the idp and the API). */
function securityHeaders(connectTo: readonly string[]): Record<string, string> {
  const connect = new Set(["'self'", ...connectTo.map((url) => new URL(url).origin)]);
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src ${[...connect].join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  };
}
