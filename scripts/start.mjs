// `npm start`: builds what is missing or stale, then runs the idp (IDP_PORT, default 3000), the
// Dragons API (API_PORT, 3001) and the Dragons app (SPA_PORT, 4200) with one readable log stream.
// Once all three listen it prints the URLs and the demo users; Ctrl-C (or SIGTERM) stops them all.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { apps, buildApp } from './build-apps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const colours = { idp: '\x1b[36m', 'dragons-api': '\x1b[35m', 'dragons-spa': '\x1b[33m' };
const bold = '\x1b[1m';
const reset = '\x1b[0m';
const tty = process.stdout.isTTY;
const children = new Map();

const idpPort = process.env.IDP_PORT ?? '3000';
const apiPort = process.env.API_PORT ?? '3001';
const spaPort = process.env.SPA_PORT ?? '4200';
const issuer = process.env.WARDEN_ISSUER ?? `http://localhost:${idpPort}/`;
const appOrigin = process.env.DRAGONS_APP_ORIGIN ?? `http://localhost:${spaPort}`;
const apiUrl = process.env.DRAGONS_API_URL ?? `http://localhost:${apiPort}/api/`;
const envs = {
  idp: { PORT: idpPort, WARDEN_ISSUER: issuer, DRAGONS_APP_ORIGIN: appOrigin },
  'dragons-api': { PORT: apiPort, WARDEN_ISSUER: issuer, DRAGONS_APP_ORIGIN: appOrigin },
  'dragons-spa': { PORT: spaPort, WARDEN_ISSUER: issuer, DRAGONS_API_URL: apiUrl },
};
let stopping = false;

process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

try {
  for (const name of Object.keys(apps)) await buildApp(name);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

function prefix(name) {
  const label = `${name.padEnd(11)} |`;
  return tty ? `${colours[name] ?? ''}${label}${reset}` : label;
}

/** Starts one app; resolves once it logs `Listening on`. */
function start(name) {
  return new Promise((ready) => {
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', join(root, 'apps', name, 'dist', 'main.mjs')],
      {
        cwd: root,
        env: { ...process.env, ...envs[name] },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.set(name, child);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        console.log(`${prefix(name)} ${line}`);
        if (line.includes('Listening on')) ready();
      });
    }
    child.on('exit', (code, signal) => {
      children.delete(name);
      if (!stopping) {
        console.log(`${prefix(name)} exited (${signal ?? code}); stopping the others`);
        stop(code || 1);
      } else if (children.size === 0) {
        process.exit(process.exitCode ?? 0);
      }
    });
  });
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code);
  }, 5000).unref();
  if (children.size === 0) process.exit(code);
}

function printReady() {
  const line = (label, value) => `  ${label.padEnd(22)} ${value}`;
  const lines = [
    '',
    `${tty ? bold : ''}  Warden is ready.${tty ? reset : ''} Open the Dragons app and sign in:`,
    '',
    line('Dragons app', `${appOrigin}/`),
    line('Identity server', issuer),
    line('Dragons API', apiUrl),
    '',
    line('admin@example.com', 'password dragons-admin   (role admin: sees the orders)'),
    line('user@example.com', 'password dragons-user'),
    '',
    '  Ctrl-C stops all three.',
    '',
  ];
  console.log(lines.join('\n'));
}

await start('idp');
await Promise.all([start('dragons-api'), start('dragons-spa')]);
if (!stopping) printReady();
