import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessTokenTtl, apiAudience, fanSite, outputDir, type System } from './system.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `npm start` builds the Angular app on a fresh clone: minutes on a small machine. */
export const startTimeoutMs = 10 * 60_000;

export interface RunningSystem {
  /** The idp's data directory (its SQLite database and secret), for the `warden` CLI. */
  dataDir: string;
  /** Stops every process of the system and removes its data directory. */
  stop(): Promise<void>;
}

/** The log of the system of one mode during the run. */
export function systemLogFile(system: System): string {
  return join(outputDir, `system-${system.mode}.log`);
}

/**
 * Starts the whole system as a user does (`node scripts/start.mjs`, with DRAGONS_AUTH_MODE set to
 * the system's mode) on the system's ports (the guild's too), with a fresh data directory, the demo, short Dragons API
 * tokens and a registered third-party client; waits until the idp, the API and the app answer.
 * A port already in use fails at once with a message naming it.
 */
export async function startSystem(system: System): Promise<RunningSystem> {
  for (const [name, port] of Object.entries(system.ports)) await assertPortFree(system, name, port);
  mkdirSync(outputDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), `warden-e2e-${system.mode}-`));
  const configFile = join(dataDir, 'e2e-clients.json');
  writeFileSync(configFile, JSON.stringify(registration(), null, 2));
  const startedAt = Date.now();
  const logFile = systemLogFile(system);
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} starting the ${system.mode}-mode system\n`);
  console.log(`e2e: starting the ${system.mode}-mode system (node scripts/start.mjs); its log: ${logFile}`);

  const child = spawn(process.execPath, [join(root, 'scripts/start.mjs')], {
    cwd: root,
    detached: true, // its own process group, so stopping it stops the apps it starts too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      IDP_PORT: String(system.ports.idp),
      API_PORT: String(system.ports.api),
      SPA_PORT: String(system.ports.spa),
      GUILD_PORT: String(system.ports.guild),
      // What the tests expect, whatever the surrounding environment says.
      DRAGONS_AUTH_MODE: system.mode,
      WARDEN_ISSUER: system.idpUrl,
      DRAGONS_APP_ORIGIN: system.spaOrigin,
      DRAGONS_API_URL: system.apiUrl,
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
  // Should the test process die without stopping it, the system must not outlive it on the e2e ports.
  const { pid } = child;
  const killOnExit = () => {
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });

  const stop = async () => {
    await stopGroup(child);
    process.removeListener('exit', killOnExit);
    await new Promise<void>((done) => log.end(done));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(system, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  const seconds = Math.round((Date.now() - startedAt) / 1000);
  console.log(
    `e2e: ${system.mode} mode ready after ${seconds} s — idp ${system.idpUrl}, API ${system.apiUrl}, app ${system.spaUrl}`,
  );
  return { dataDir, stop };
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

async function assertPortFree(system: System, name: string, port: number): Promise<void> {
  const variable = `E2E_${system.mode === 'cookie' ? 'COOKIE_' : ''}${name.toUpperCase()}_PORT`;
  await new Promise<void>((done, fail) => {
    const server = createServer()
      .once('error', () =>
        fail(
          new Error(
            `e2e: port ${port} (${system.mode} mode, ${name}) is in use. Stop what runs there, or choose another port with ${variable}.`,
          ),
        ),
      )
      .listen(port, 'localhost', () => server.close(() => done()));
  });
}

/** Polls the four URLs until each answers 200; fails early when start.mjs exits. */
async function waitUntilReady(system: System, child: ChildProcess, logFile: string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `start.mjs exited (${signal ?? code})`;
  });
  const urls = [
    `${system.idpUrl}.well-known/openid-configuration`,
    `${system.guildUrl}.well-known/openid-configuration`,
    `http://localhost:${system.ports.api}/health`,
    system.spaUrl,
  ];
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
