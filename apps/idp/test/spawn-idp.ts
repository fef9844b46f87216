import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../../..');

export interface SpawnedIdp {
  process: ChildProcess;
  /** What it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, resolved once it exited. */
  stop(): Promise<void>;
}

/**
 * Runs the idp as `npm start` does (apps/idp/src/main.ts, through tsx) with `env` on top of ours;
 * resolves once it prints `Listening on`, rejects with its output if it exits before.
 */
export async function spawnIdp(env: Record<string, string>): Promise<SpawnedIdp> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/idp/src/main.ts')], {
    env: { ...process.env, ...env },
    cwd: root,
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  }
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    child.stdout?.on('data', () => {
      if (output.includes('Listening on')) ready();
    });
    child.once('exit', (code) => fail(new Error(`idp exited with ${code}: ${output}`)));
  });
  return {
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
