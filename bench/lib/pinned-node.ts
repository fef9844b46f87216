import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { basename, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The core the process under test runs on. */
export const SERVER_CORE = 0;
/** The core the load generator (and this orchestrating process) runs on. */
export const LOAD_CORE = 1;

/** Absolute path of a file under `bench/`, from a path relative to this folder's parent. */
export function benchFile(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/**
 * Throws unless `taskset` (util-linux) exists and the machine has both cores the benchmarks pin
 * to. It does NOT check that the cores are otherwise idle.
 */
export function checkPinning(): void {
  const probe = spawnSync('taskset', ['-c', `${SERVER_CORE},${LOAD_CORE}`, 'true']);
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `taskset -c ${SERVER_CORE},${LOAD_CORE} failed: install util-linux and run on a machine with 2 cores`,
    );
  }
}

/** Moves every thread of this process to `core`, so the orchestrator stays off the server's core. */
export function pinSelf(core: number): void {
  spawnSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
}

export interface PinnedNodeOptions {
  core: number;
  /** A TypeScript file under `bench/`; it is bundled first and run as plain JavaScript, as `npm start` runs the apps. */
  script: string;
  args?: string[];
  /** Extra Node options placed before the script, e.g. `--cpu-prof`. */
  nodeOptions?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Bundles `script` into `bench/.build/` (beside `lib/`, so paths relative to the bundle resolve as
 * from the source) and spawns `taskset -c <core> node <bundle>`: no TypeScript loader in the
 * measured process, as with `npm start`. `taskset` replaces itself with node, so the child's pid is
 * node's pid (what /proc readings need). stdin is closed; stdout and stderr are pipes the caller
 * must drain.
 */
export function spawnPinnedNode(options: PinnedNodeOptions): ChildProcess {
  const source = isAbsolute(options.script) ? options.script : benchFile(options.script);
  const bundle = benchFile(`.build/${basename(source).replace(/\.ts$/, '')}.mjs`);
  const built = spawnSync(
    process.execPath,
    [benchFile('../scripts/build-apps.mjs'), '--bundle', source, bundle],
    {
      stdio: 'inherit',
    },
  );
  if (built.status !== 0) throw new Error(`could not bundle ${source}`);
  const args = [
    '-c',
    String(options.core),
    process.execPath,
    '--enable-source-maps',
    ...(options.nodeOptions ?? []),
    bundle,
    ...(options.args ?? []),
  ];
  return spawn('taskset', args, {
    cwd: benchFile('..'),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Runs a pinned node script to completion and parses the last line of its stdout as JSON.
 * Rejects with its stderr when it exits non-zero or prints no JSON.
 */
export async function runPinnedJson<T>(options: PinnedNodeOptions): Promise<T> {
  const child = spawnPinnedNode(options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(`${options.script} exited with ${code}:\n${stderr || stdout}`);
  }
  return JSON.parse(last) as T;
}

/** A TCP port free on 127.0.0.1 at the time of the call. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
