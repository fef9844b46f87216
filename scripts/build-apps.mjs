// Bundles the runnable apps (and the @warden/* workspace packages they use, which ship as
// TypeScript) into each app's dist/, so `npm start` runs plain JavaScript: faster start and less
// memory than a TypeScript loader. Third-party packages stay external and load from node_modules.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The entry points of each app, by output name. */
export const apps = {
  idp: { main: 'apps/idp/src/main.ts', cli: 'apps/idp/src/cli.ts' },
  'dragons-api': { main: 'apps/dragons-api/src/main.ts' },
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

export async function buildApp(name) {
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

// `node scripts/build-apps.mjs [app…]` builds apps; `--bundle ENTRY OUTFILE` bundles one file.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  if (args[0] === '--bundle') await bundleFile(args[1], args[2]);
  else for (const name of args.length > 0 ? args : Object.keys(apps)) await buildApp(name);
}
