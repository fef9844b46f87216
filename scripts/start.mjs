// `npm start`: builds what is missing or stale, then runs the idp (IDP_PORT, default 3000), the
// Dragons API (API_PORT, 3001) and the Dragons app (SPA_PORT, 4200) with one readable log stream.
// Once all of them listen it prints the URLs and the demo users; Ctrl-C (or SIGTERM) stops them all.
// DRAGONS_AUTH_MODE=cookie runs the Dragons app in cookie mode: its server is a backend-for-frontend
// (the confidential client dragons-web), and the browser holds an HttpOnly session cookie, no token.
// With the demo (unless WARDEN_DEMO=false) a second idp runs first, the Dragon Riders Guild
// (http://127.0.0.1:3002/, GUILD_PORT; its own SQLite in $WARDEN_DATA_DIR/guild), which the idp
// offers as the connection `guild`. What runs, with which variables, is planned in start-plan.mjs.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { apps, buildApp } from './build-apps.mjs';
import { planStart } from './start-plan.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const colours = { idp: '\x1b[36m', guild: '\x1b[32m', 'dragons-api': '\x1b[35m', 'dragons-spa': '\x1b[33m' };
const bold = '\x1b[1m';
const reset = '\x1b[0m';
const tty = process.stdout.isTTY;
const children = new Map();

let plan;
try {
  plan = planStart(process.env, { root, keptSecret });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const { mode, demo, processes, stages } = plan;
const { issuer, appOrigin, apiUrl, guildIssuer } = plan.urls;
let stopping = false;

/** 32 random bytes in base64url, created in `dir/name` (mode 0600) on first use and read back after. */
function keptSecret(dir, name) {
  const file = join(dir, name);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (error?.code !== 'EEXIST') throw error;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (!/^[A-Za-z0-9_-]{43,}$/.test(secret)) {
    console.error(`${file} does not hold a secret (43+ base64url characters); remove it to make a new one`);
    process.exit(1);
  }
  return secret;
}

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

/** Starts one process of the plan; resolves once it logs `Listening on`. */
function start(name) {
  return new Promise((ready) => {
    const { app, env } = processes[name];
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', join(root, 'apps', app, 'dist', 'main.mjs')],
      {
        cwd: root,
        env: { ...process.env, ...env },
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
    line(
      'Mode',
      mode === 'cookie'
        ? 'cookie: the app server signs in (dragons-web); the browser holds a session cookie, no token'
        : 'token: the app signs in (dragons-spa) and keeps its tokens in memory; DRAGONS_AUTH_MODE=cookie for the other',
    ),
    line('Identity server', issuer),
    line('Warden console', `${issuer}console/   (no administrator yet? the idp printed a setup link above)`),
    line('Dragons API', apiUrl),
    ...(demo
      ? [line('Dragon Riders Guild', `${guildIssuer}   (another idp: "Continue with Dragon Riders Guild")`)]
      : []),
    '',
    ...(demo
      ? [
          line('admin@example.com', 'password dragons-admin   (role admin: sees the orders)'),
          line('user@example.com', 'password dragons-user'),
          line('rider@guild.example', 'password guild-rider     (at the guild)'),
          '',
        ]
      : []),
    `  Ctrl-C stops all ${demo ? 'four' : 'three'}.`,
    '',
  ];
  console.log(lines.join('\n'));
}

for (const stage of stages) {
  if (!stopping) await Promise.all(stage.map(start));
}
if (!stopping) printReady();
