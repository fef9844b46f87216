// Bundles the runnable apps (and the @warden/* workspace packages they use, which ship as
// TypeScript) into each app's dist/, so `npm start` runs plain JavaScript: faster start and less
// memory than a TypeScript loader. Third-party packages stay external and load from node_modules.
// The Dragons app is first built by the Angular CLI (dist/browser), skipped when that build is
// newer than every source it comes from; then its server is bundled like the other apps.
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The entry points of each app, by output name. */
export const apps = {
  idp: { main: 'apps/idp/src/main.ts', cli: 'apps/idp/src/cli.ts' },
  'dragons-api': { main: 'apps/dragons-api/src/main.ts' },
  'dragons-spa': { main: 'apps/dragons-spa/server/main.ts' },
};

/** What the Dragons app's browser build is made from. */
const angularSources = [
  'apps/dragons-spa/src',
  'apps/dragons-spa/public',
  'apps/dragons-spa/angular.json',
  'apps/dragons-spa/tsconfig.json',
  'apps/dragons-spa/ngsw-config.json',
  'packages/angular/src',
  'packages/browser/src',
  'packages/protocol/src',
];
const angularOutput = 'apps/dragons-spa/dist/browser/ngsw.json';

const externalPackages = {
  name: 'external-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@warden/') ? undefined : { path: args.path, external: true },
    );
  },
};

/** The options every bundle shares: ESM for Node 20, workspace packages inlined, the rest external. */
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  plugins: [externalPackages],
  logLevel: 'warning',
};

/** Builds one app; for the Dragons app, the Angular build first when `force` or when it is stale. */
export async function buildApp(name, { force = false } = {}) {
  if (name === 'dragons-spa') await buildAngularApp({ force });
  const entries = apps[name];
  await build({
    ...common,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([out, src]) => [out, join(root, src)])),
    outdir: join(root, 'apps', name, 'dist'),
    outExtension: { '.js': '.mjs' },
  });
}

/** Bundles one TypeScript entry point into `outfile` (for benchmarks' server processes). */
export async function bundleFile(entry, outfile) {
  await build({ ...common, entryPoints: [entry], outfile });
}

/**
 * `ng build` (production: hashed bundles, service worker) of apps/dragons-spa into its
 * dist/browser, unless the build there is newer than all its sources. Output lines are prefixed.
 */
export async function buildAngularApp({ force = false, log = console.log } = {}) {
  const built = await modifiedAt(join(root, angularOutput));
  if (!force && built > 0) {
    const sources = await Promise.all(angularSources.map((path) => newestIn(join(root, path))));
    if (Math.max(...sources) < built) {
      log('dragons-spa: the Angular build is up to date (apps/dragons-spa/dist/browser)');
      return;
    }
  }
  log('dragons-spa: building the Angular app (about 20 s on two cores)…');
  const started = Date.now();
  const cli = join(root, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
  const child = spawn(process.execPath, [cli, 'build', '--configuration', 'production'], {
    cwd: join(root, 'apps', 'dragons-spa'),
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim() !== '') log(`ng build    | ${line}`);
    });
  }
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`ng build failed (exit code ${code})`);
  log(`dragons-spa: Angular build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function modifiedAt(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

/** The newest modification time of a file, or of any file below a directory. */
async function newestIn(path) {
  let info;
  try {
    info = await stat(path);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path, { withFileTypes: true, recursive: true });
  const times = await Promise.all(
    entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.test.ts'))
      .map((entry) => modifiedAt(join(entry.parentPath, entry.name))),
  );
  return Math.max(info.mtimeMs, ...times);
}

// `node scripts/build-apps.mjs [--force] [app…]` builds apps (`--force`: the Angular app even when
// up to date); `--bundle ENTRY OUTFILE` bundles one file.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--bundle') await bundleFile(args[1], args[2]);
  else {
    const force = args.includes('--force');
    const names = args.filter((arg) => arg !== '--force');
    for (const name of names.length > 0 ? names : Object.keys(apps)) await buildApp(name, { force });
  }
}
