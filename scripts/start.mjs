// `npm start`: builds the apps, then runs the idp (IDP_PORT, default 3000) and the Dragons API
// (API_PORT, default 3001) together with one readable log stream; Ctrl-C stops everything.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { apps, buildApp } from './build-apps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const colours = { idp: '\x1b[36m', 'dragons-api': '\x1b[35m' };
const reset = '\x1b[0m';
const children = new Map();
const idpPort = process.env.IDP_PORT ?? '3000';
const apiPort = process.env.API_PORT ?? '3001';
const issuer = process.env.WARDEN_ISSUER ?? `http://localhost:${idpPort}/`;
const envs = {
  idp: { PORT: idpPort, WARDEN_ISSUER: issuer },
  'dragons-api': { PORT: apiPort, WARDEN_ISSUER: issuer },
};
let stopping = false;

for (const name of Object.keys(apps)) await buildApp(name);

function prefix(name) {
  const label = `${name.padEnd(11)} |`;
  return process.stdout.isTTY ? `${colours[name] ?? ''}${label}${reset}` : label;
}

function start(name, ready) {
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
      if (ready && line.includes('Listening on')) ready();
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      console.log(`${prefix(name)} exited (${signal ?? code}); stopping the others`);
      stop(code ?? 1);
    } else if (children.size === 0) {
      process.exit(0);
    }
  });
  return child;
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children.values()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  if (children.size === 0) process.exit(code);
}

process.once('SIGINT', () => stop(0));
process.once('SIGTERM', () => stop(0));

await new Promise((ready) => start('idp', ready));
start('dragons-api');
