import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleSetupLink } from '@warden/server';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, useTestServer } from '../../../packages/server/test/harness.js';
import { CONSOLE_CSP, mountConsole } from '../src/console-app.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A console build as `ng build` writes it (hashed bundles, an icon, `<base href="/console/">`), beside a file it must not serve. */
function fakeBuild(): string {
  const parent = mkdtempSync(join(tmpdir(), 'warden-console-build-'));
  dirs.push(parent);
  writeFileSync(join(parent, 'secret.txt'), 'not part of the build');
  const root = join(parent, 'browser');
  mkdirSync(join(root, 'media'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><html><head><base href="/console/"/><link rel="stylesheet" href="styles-AB12CD34.css"></head><body><app-root></app-root><script src="main-EF56GH78.js" type="module"></script></body></html>',
  );
  writeFileSync(join(root, 'main-EF56GH78.js'), 'console.log("console");');
  writeFileSync(join(root, 'styles-AB12CD34.css'), 'body{margin:0}');
  writeFileSync(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
  return root;
}

function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'warden-console-unbuilt-'));
  dirs.push(dir);
  return dir;
}

/** The directives of a Content-Security-Policy header. */
function directives(header: string | null): Map<string, string> {
  return new Map(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values.join(' ')]),
  );
}

function mount(t: TestServer, root: string): void {
  mountConsole(t.server, { root, audience: `${t.issuer}api/v2/` });
}

describe('the console served by the idp', () => {
  const t = useTestServer();

  it('tells the console where to sign in and what to ask for in /console/config.json', async () => {
    mount(t(), fakeBuild());
    const response = await t().request('/console/config.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const settings = (await response.json()) as Record<string, string>;
    expect(settings).toEqual({
      issuer: 'http://localhost:3000/',
      clientId: 'warden-console',
      audience: 'http://localhost:3000/api/v2/',
      scope: expect.any(String),
    });
    expect(settings.scope!.split(' ')).toEqual(
      expect.arrayContaining([
        'openid',
        'read:clients',
        'create:clients',
        'update:clients',
        'delete:clients',
        'update:client_keys',
      ]),
    );
  });

  it('serves the build under a strict CSP: hashed bundles cached for a year, index.html never stored', async () => {
    mount(t(), fakeBuild());
    const page = await t().request('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('<base href="/console/"');
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const script = await t().request('/console/main-EF56GH78.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await script.text()).toBe('console.log("console");');
    const styles = await t().request('/console/styles-AB12CD34.css');
    expect(styles.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(styles.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A file whose name has no hash is revalidated.
    const icon = await t().request('/console/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    // Every answer carries the policy, the files too.
    expect(script.headers.get('content-security-policy')).toBe(CONSOLE_CSP);

    const head = await t().request('/console/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const bare = await t().request('/console');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('http://localhost:3000/console/');
  });

  it("answers the app's routes with index.html, and a missing file or a path out of the build with 404", async () => {
    mount(t(), fakeBuild());
    for (const path of [
      '/console/applications',
      '/console/applications/abc123',
      '/console/callback?code=x',
    ]) {
      const response = await t().request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(await response.text(), path).toContain('<app-root>');
    }
    for (const path of ['/console/main-00000000.js', '/console/media/logo.svg', '/console/..%2fsecret.txt']) {
      const response = await t().request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).not.toContain('not part of the build');
    }
    expect((await t().request('/console/%E0%A4%A')).status).toBe(404);
  });

  it('leaves /console/setup to the server: the setup link still opens the first administrator form', async () => {
    mount(t(), fakeBuild());
    const link = new URL((await consoleSetupLink(t().server.context))!);
    const page = await t().request(`${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Create the first administrator');
    // The hosted page's own policy, not the console's.
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    // Without a valid link, the server's refusal, not the console's index.html.
    const refused = await t().request('/console/setup?token=forged');
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('<app-root>');
  });

  it('answers 503 saying how to build the console when it was not built', async () => {
    mount(t(), emptyDir());
    for (const path of ['/console/', '/console/applications']) {
      const response = await t().request(path);
      expect(response.status, path).toBe(503);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      const html = await response.text();
      expect(html).toContain('The Warden console is not built');
      expect(html).toContain('npm run build');
    }
    expect((await t().request('/console/config.json')).status).toBe(200);
  });
});

describe('the console of an idp whose issuer has a path', () => {
  it('gives index.html the base href of the issuer', async () => {
    const t = await startTestServer({ issuer: 'http://localhost:3000/idp/' });
    try {
      mount(t, fakeBuild());
      const page = await t.request('/console/');
      expect(await page.text()).toContain('<base href="/idp/console/">');
      const settings = (await (await t.request('/console/config.json')).json()) as Record<string, string>;
      expect(settings.audience).toBe('http://localhost:3000/idp/api/v2/');
    } finally {
      await t.close();
    }
  });
});
