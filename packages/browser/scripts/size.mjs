// Bundles the package for browsers the way an app's bundler would (esbuild, ESM, minified,
// @warden/protocol and jose included) and prints the min+gzip size of what a page loads first
// and of the id_token verification chunk, which is loaded on the first sign-in or refresh.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const outdir = await mkdtemp(join(tmpdir(), 'warden-browser-size-'));

try {
  const result = await build({
    entryPoints: { 'warden-browser': entry },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    outdir,
    metafile: true,
    write: true,
    logLevel: 'warning',
  });
  const outputs = result.metafile.outputs;
  const main = Object.keys(outputs).find((path) => outputs[path].entryPoint?.endsWith('src/index.ts'));
  const eager = new Set();
  const visit = (path) => {
    if (eager.has(path)) return;
    eager.add(path);
    for (const imported of outputs[path].imports)
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(main);
  const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
  let first = 0;
  let total = 0;
  for (const path of Object.keys(outputs).sort((a, b) => Number(eager.has(b)) - Number(eager.has(a)))) {
    const bytes = await readFile(resolve(path));
    const gzip = gzipSync(bytes, { level: 9 }).length;
    total += gzip;
    if (eager.has(path)) first += gzip;
    const when = eager.has(path) ? 'with the page' : 'on first sign-in/refresh';
    console.log(
      `${basename(path).padEnd(36)} ${when.padEnd(26)} ${kb(bytes.length).padStart(9)} min ${kb(gzip).padStart(9)} min+gzip`,
    );
  }
  console.log(`loaded with the page: ${kb(first)} min+gzip; everything: ${kb(total)} min+gzip`);
  const withJose = Object.keys(outputs).filter((path) =>
    Object.keys(outputs[path].inputs).some((input) => input.includes('node_modules/jose/')),
  );
  const joseEager = withJose.some((path) => eager.has(path));
  console.log(`jose is loaded ${joseEager ? 'with the page' : 'on first sign-in/refresh'}`);
} finally {
  await rm(outdir, { recursive: true, force: true });
}
