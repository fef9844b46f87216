import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type AuthorizationServer,
  CONSOLE_CLIENT_ID,
  CONSOLE_PATH,
  CONSOLE_SETUP_PATH,
} from '@warden/server';

/**
 * Where `ng build` writes the console (`apps/console/dist/browser`), found from this module: it
 * sits two folders below `apps/` whether it runs from `apps/idp/src` or bundled in `apps/idp/dist`.
 */
export const consoleBuildDir = fileURLToPath(new URL('../../console/dist/browser', import.meta.url));

/**
 * The scopes the console asks for: the user's profile for its header, a refresh token (kept in
 * memory), and the management API's scopes its pages use.
 */
export const CONSOLE_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'read:clients',
  'create:clients',
  'update:clients',
  'delete:clients',
  'update:client_keys',
] as const;

/**
 * The console's policy: scripts, styles, images and fonts from the idp's origin only (the build
 * has no inline script and no inlined CSS), requests to the idp's origin only (the token endpoint
 * and the management API), no plugins, no framing.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** What the console reads from `/console/config.json` before it starts. */
export interface ConsoleSettings {
  issuer: string;
  clientId: string;
  /** The management API's identifier (`<issuer>api/v2/`), also where it answers. */
  audience: string;
  scope: string;
}

export interface ConsoleAppOptions {
  /** The management API's identifier, the audience of the console's tokens. */
  audience: string;
  /** The console's build (default {@link consoleBuildDir}). */
  root?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Angular's output hashing: `main-ABCD1234.js`, `styles-…css`, `media/…-HASH.svg`. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

/**
 * Serves the console at `<issuer>console/`: its settings at `config.json`, the build's files
 * (hashed bundles cached for a year, everything else revalidated, `index.html` never stored), and
 * `index.html` for every other path that is not a file (the app's routes). `/console/setup` stays
 * the server's (the first administrator's page). Before the console is built, its pages answer 503
 * saying how to build it. Every answer carries the console's CSP.
 */
export function mountConsole(server: AuthorizationServer, options: ConsoleAppOptions): void {
  const { issuer } = server.context.config;
  const root = resolve(options.root ?? consoleBuildDir);
  const home = `${issuer}${CONSOLE_PATH.slice(1)}`;
  const basePath = new URL(home).pathname;
  const settings: ConsoleSettings = {
    issuer,
    clientId: CONSOLE_CLIENT_ID,
    audience: options.audience,
    scope: CONSOLE_SCOPES.join(' '),
  };

  server.app.get(CONSOLE_PATH.slice(0, -1), () => redirect(home));
  server.app.get(`${CONSOLE_PATH}config.json`, () =>
    answer(JSON.stringify(settings), 200, CONTENT_TYPES['.json']!, 'no-store'),
  );
  server.app.get(`${CONSOLE_PATH}*`, async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (path === CONSOLE_SETUP_PATH) return next();
    return serveFile(root, path.slice(CONSOLE_PATH.length), basePath);
  });
}

/** A file of the build, or `index.html` for a path that names none. */
async function serveFile(root: string, relative: string, basePath: string): Promise<Response> {
  let name: string;
  try {
    name = decodeURIComponent(relative);
  } catch {
    return notFound();
  }
  const segments = name.split('/');
  if (name.includes('\0') || name.includes('\\') || segments.some((part) => part === '..' || part === '.'))
    return notFound();
  const file = resolve(root, name);
  if (file !== root && !file.startsWith(`${root}${sep}`)) return notFound();
  if (name !== '' && name !== 'index.html' && (await isFile(file))) {
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const cache = HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return answer(await readFile(file), 200, type, cache);
  }
  // A missing asset is a 404; any other path is one of the app's routes.
  if (extname(segments.at(-1) ?? '') !== '') return notFound();
  return serveIndex(root, basePath);
}

/** `index.html` with the `<base href>` of this issuer's path (the build says `/console/`). */
async function serveIndex(root: string, basePath: string): Promise<Response> {
  let html: string;
  try {
    html = await readFile(resolve(root, 'index.html'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return answer(notBuiltPage(root), 503, CONTENT_TYPES['.html']!, 'no-store');
  }
  const page = html.replace(/<base href="\/console\/"\s*\/?>/, `<base href="${basePath}">`);
  return answer(page, 200, CONTENT_TYPES['.html']!, 'no-store');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function answer(body: BodyInit, status: number, type: string, cache: string): Response {
  return new Response(body, {
    status,
    headers: {
      'content-type': type,
      'cache-control': cache,
      'content-security-policy': CONSOLE_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
}

function notFound(): Response {
  return answer('Not found\n', 404, CONTENT_TYPES['.txt']!, 'no-store');
}

function redirect(location: string): Response {
  return new Response(null, { status: 308, headers: { location, 'cache-control': 'no-store' } });
}

/** The page of a console that was not built, in the hosted pages' style. */
function notBuiltPage(root: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The Warden console is not built</title>
<link rel="stylesheet" href="/assets/warden.css">
</head>
<body>
<main class="page">
<div class="card">
<div class="card-header">
<h1>The Warden console is not built</h1>
<p class="subtitle">This idp serves the console from <code>${escapeHtml(root)}</code>, which has no build yet.</p>
</div>
<div class="prose">
<p>Build it in the repository, then reload this page:</p>
<p><code>npm run build</code> (or <code>node scripts/build-apps.mjs console</code>)</p>
<p><code>npm start</code> builds it too.</p>
</div>
</div>
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
