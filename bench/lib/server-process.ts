import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { benchFile, findFreePort, SERVER_CORE, spawnPinnedNode } from './pinned-node.js';

/** What a bench server prints, as one JSON line on stdout, once it accepts connections. */
export interface ReadyLine {
  ready: true;
  [key: string]: unknown;
}

export interface ServerProcess<Info extends ReadyLine> {
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The server's ready line (client credentials and the like). */
  info: Info;
  /** `performance.now()` just before the process was spawned. */
  spawnedAt: number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartServerOptions {
  /** Path under `bench/`, e.g. `servers/warden-idp.ts`. */
  script: string;
  env?: NodeJS.ProcessEnv;
  /** Write a V8 CPU profile into this folder when the server exits. */
  cpuProfileDir?: string | undefined;
  /** How long to wait for the ready line. Default 60 s. */
  timeoutMs?: number;
}

/**
 * Starts a bench server pinned to the server core on a free 127.0.0.1 port (passed as `PORT`)
 * and waits for its ready line. Its other stdout (logs) is read and dropped, so a logging
 * server never blocks on a full pipe; the tail of stderr is kept for error messages.
 */
export async function startServer<Info extends ReadyLine>(
  options: StartServerOptions,
): Promise<ServerProcess<Info>> {
  const port = await findFreePort();
  const nodeOptions: string[] = [];
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  const spawnedAt = performance.now();
  const child = spawnPinnedNode({
    core: SERVER_CORE,
    script: benchFile(options.script),
    nodeOptions,
    env: { ...options.env, PORT: String(port) },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const exited = once(child, 'exit');
  const info = await waitForReadyLine<Info>(child, options.timeoutMs ?? 60_000, () => stderr).catch(
    async (error: unknown) => {
      child.kill('SIGKILL');
      await exited;
      throw error;
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.script} has no pid`);
  return {
    pid,
    port,
    origin: `http://127.0.0.1:${port}`,
    info,
    spawnedAt,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitForReadyLine<Info extends ReadyLine>(
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<Info> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let ready = false;
    const timer = setTimeout(() => fail(`no ready line within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`bench server: ${why}\n${stderr()}`));
    };
    child.once('exit', (code, signal) => {
      if (!ready) fail(`exited (${signal ?? code}) before it was ready`);
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      if (ready) return;
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const parsed = parseReadyLine(line);
        if (parsed) {
          ready = true;
          clearTimeout(timer);
          resolve(parsed as Info);
          return;
        }
      }
    });
  });
}

function parseReadyLine(line: string): ReadyLine | undefined {
  if (!line.startsWith('{"ready":true')) return undefined;
  try {
    return JSON.parse(line) as ReadyLine;
  } catch {
    return undefined;
  }
}

/** Prints the ready line a bench server ends its start-up with (see `startServer`). */
export function printReadyLine(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ready: true, ...fields })}\n`);
}

/**
 * On SIGINT/SIGTERM runs `close` (what the bench server opened: its HTTP server, stores,
 * verifiers) and exits 0 once it settles, 1 if it fails, and in any case within 3 s.
 */
export function stopOnSignal(close: () => Promise<unknown> | unknown): void {
  const stop = () => {
    setTimeout(() => process.exit(0), 3000).unref();
    Promise.resolve()
      .then(close)
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Stops a bench server on SIGINT/SIGTERM: closes it and its connections, exits within 3 s. */
export function exitOnSignal(server: {
  close(done: () => void): unknown;
  closeAllConnections(): void;
}): void {
  stopOnSignal(() => closeServer(server));
}

/** Closes an HTTP server after dropping its open connections. */
export function closeServer(server: {
  close(done: () => void): unknown;
  closeAllConnections(): void;
}): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => {
    server.close(() => resolve());
  });
}
