// `npm run e2e`: runs the Playwright suite in Debian's Chromium. Without a Chromium it says so
// and exits 0, so `npm test` works on any machine; in CI (CI=true) a missing Chromium fails.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findChromium() {
  if (process.env.CHROMIUM_PATH)
    return executable(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  const candidates = ['/usr/bin/chromium'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir) candidates.push(join(dir, 'chromium'), join(dir, 'chromium-browser'));
  }
  return candidates.find(executable);
}

const chromium = findChromium();
if (!chromium) {
  const where = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not executable`
    : 'no Chromium found';
  const how = 'install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH; see docs/testing.md';
  if (ci) {
    console.error(`e2e: FAILED — ${where}; ${how}.`);
    process.exit(1);
  }
  console.log(`e2e: skipped — ${where}; ${how}.`);
  process.exit(0);
}

const child = spawn(
  process.execPath,
  [join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHROMIUM_PATH: chromium },
  },
);
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
// Ctrl-C reaches Playwright too (same process group); wait for it to stop the system and exit.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
