// Bundles the idp (and its @warden/* workspace packages, which ship as TypeScript) into
// apps/idp/dist, so `npm start` runs plain JavaScript: faster start, less memory than a loader.
// Third-party packages stay external and load from node_modules.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');

const externalPackages = {
  name: 'external-packages',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@warden/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: { main: join(app, 'src/main.ts'), cli: join(app, 'src/cli.ts') },
  outdir: join(app, 'dist'),
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  plugins: [externalPackages],
  logLevel: 'warning',
});
