import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  accessTokenTtl,
  apiAudience,
  apiUrl,
  fanSite,
  idpUrl,
  outputDir,
  ports,
  spaOrigin,
  spaUrl,
} from './support/system.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** `npm start` builds the Angular app on a fresh clone: minutes on a small machine. */
const startTimeoutMs = 10 * 60_000;

/**
 * Starts the whole system as a user does (`node scripts/start.mjs`) on the e2e ports, with a
 * fresh data directory, the demo, short Dragons API tokens and a registered third-party client;
 * waits until the idp, the API and the app answer; returns the teardown that stops it all.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const [name, port] of Object.entries(ports)) await assertPortFree(name, port);
  mkdirSync(outputDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-e2e-data-'));
  const configFile = join(dataDir, 'e2e-clients.json');
  writeFileSync(configFile, JSON.stringify(registration(), null, 2));
  const startedAt = Date.now();
  const logFile = join(outputDir, 'system.log');
  const log = createWriteStream(logFile);
  console.log(`e2e: starting the system (node scripts/start.mjs); its log: ${logFile}`);

  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    detached: true, // its own process group, so teardown stops the apps it starts too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      IDP_PORT: String(ports.idp),
      API_PORT: String(ports.api),
      SPA_PORT: String(ports.spa),
      // What the tests expect, whatever the surrounding environment says.
      WARDEN_ISSUER: idpUrl,
      DRAGONS_APP_ORIGIN: spaOrigin,
      DRAGONS_API_URL: apiUrl,
      API_AUDIENCE: apiAudience,
      WARDEN_DATA_DIR: dataDir,
      WARDEN_CONFIG: configFile,
      WARDEN_DEMO: 'true',
      WARDEN_SIGNUP: 'true',
      DRAGONS_API_TOKEN_TTL: String(accessTokenTtl),
      // The embedded storage a fresh clone uses, even where CI sets these for other tests.
      DATABASE_URL: '',
      REDIS_URL: '',
      FORCE_COLOR: '0',
    },
  });
  // Should the runner die without its teardown, the system must not outlive it on the e2e ports.
  const { pid } = child;
  if (pid !== undefined) process.once('exit', () => signalGroup(pid, 'SIGKILL'));
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  const stop = async () => {
    await stopGroup(child);
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  console.log(`e2e: ready after ${seconds} s — idp ${idpUrl}, API ${apiUrl}, app ${spaUrl}`);
  return stop;
}

/** The registration file applied at start: the third-party client of the consent test. */
function registration() {
  return {
    clients: [
      {
        client_id: fanSite.clientId,
        type: 'spa',
        name: fanSite.name,
        callbacks: [fanSite.callback],
        origins: [fanSite.origin],
        third_party: true,
      },
    ],
  };
}

async function assertPortFree(name: string, port: number): Promise<void> {
  await new Promise<void>((done, fail) => {
    const server = createServer()
      .once('error', () =>
        fail(
          new Error(
            `e2e: port ${port} (${name}) is in use. Stop what runs there, or choose other ports with E2E_IDP_PORT, E2E_API_PORT and E2E_SPA_PORT.`,
          ),
        ),
      )
      .listen(port, 'localhost', () => server.close(() => done()));
  });
}

/** Polls the three URLs until each answers 200; fails early when start.mjs exits. */
async function waitUntilReady(child: ChildProcess, logFile: string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `start.mjs exited (${signal ?? code})`;
  });
  const urls = [`${idpUrl}.well-known/openid-configuration`, `http://localhost:${ports.api}/health`, spaUrl];
  const deadline = Date.now() + startTimeoutMs;
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (exited) throw new Error(`e2e: ${exited} before the system was ready.\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      throw new Error(
        `e2e: not ready after ${startTimeoutMs / 1000} s: ${[...pending].join(', ')}\n${tail(logFile)}`,
      );
    }
    for (const url of pending) {
      const ok = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) pending.delete(url);
    }
    if (pending.size > 0) await new Promise((resume) => setTimeout(resume, 500));
  }
}

/** SIGTERM to the whole group (start.mjs and the apps), SIGKILL what is left after 10 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  signalGroup(child.pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 10_000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') signalGroup(child.pid, 'SIGKILL');
  // Children of start.mjs that outlived it are still in the group.
  await new Promise((resume) => setTimeout(resume, 200));
  signalGroup(child.pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
