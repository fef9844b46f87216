// Bundles the runnable apps (and the @warden/* workspace packages they use, which ship as
// TypeScript) into each app's dist/, so `npm start` runs plain JavaScript: faster start and less
// memory than a TypeScript loader. Third-party packages stay external and load from node_modules.
// The Angular apps (the Dragons app, and the console the idp serves) are first built by the Angular
// CLI (dist/browser), skipped when that build is newer than every source it comes from; then the
// Dragons app's server is bundled like the other apps.
import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The entry points of each app, by output name (none: an Angular build only). */
export const apps = {
  idp: { main: 'apps/idp/src/main.ts', cli: 'apps/idp/src/cli.ts' },
  'dragons-api': { main: 'apps/dragons-api/src/main.ts' },
  'dragons-spa': { main: 'apps/dragons-spa/server/main.ts' },
  console: {},
};

/** What the @warden packages an Angular app compiles in are made from. */
const sharedAngularSources = ['packages/angular/src', 'packages/browser/src', 'packages/protocol/src'];

/**
 * The Angular apps: what each browser build is made from, the file its build writes last, and how
 * long it takes on two cores from cold.
 */
const angularApps = {
  'dragons-spa': {
    sources: [
      'apps/dragons-spa/src',
      'apps/dragons-spa/public',
      'apps/dragons-spa/angular.json',
      'apps/dragons-spa/tsconfig.json',
      'apps/dragons-spa/ngsw-config.json',
      ...sharedAngularSources,
    ],
    output: 'apps/dragons-spa/dist/browser/ngsw.json',
    duration: 'about 20 s',
  },
  console: {
    sources: [
      'apps/console/src',
      'apps/console/public',
      'apps/console/angular.json',
      'apps/console/tsconfig.json',
      ...sharedAngularSources,
    ],
    output: 'apps/console/dist/browser/index.html',
    duration: 'about 20 s',
  },
};

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

/** Builds one app; for an Angular app, the Angular build first when `force` or when it is stale. */
export async function buildApp(name, { force = false } = {}) {
  if (name in angularApps) await buildAngularApp(name, { force });
  const entries = apps[name];
  if (Object.keys(entries).length === 0) return;
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
 * `ng build` (production: hashed bundles) of an Angular app (`dragons-spa` or `console`) into its
 * dist/browser, unless the build there is newer than all its sources. Output lines are prefixed.
 */
export async function buildAngularApp(name, { force = false, log = console.log } = {}) {
  const app = angularApps[name];
  const built = await modifiedAt(join(root, app.output));
  if (!force && built > 0) {
    const sources = await Promise.all(app.sources.map((path) => newestIn(join(root, path))));
    if (Math.max(...sources) < built) {
      log(`${name}: the Angular build is up to date (apps/${name}/dist/browser)`);
      return;
    }
  }
  log(`${name}: building the Angular app (${app.duration} on two cores)…`);
  const started = Date.now();
  const cli = join(root, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
  const child = spawn(process.execPath, [cli, 'build', '--configuration', 'production'], {
    cwd: join(root, 'apps', name),
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim() !== '') log(`ng build    | ${line}`);
    });
  }
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`ng build of ${name} failed (exit code ${code})`);
  log(`${name}: Angular build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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

// `node scripts/build-apps.mjs [--force] [app…]` builds apps (`--force`: the Angular apps even when
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
