import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '../../../packages/server/test/free-port.js';
import { apiId } from '../../../packages/server/test/harness.js';

const root = resolve(import.meta.dirname, '../../..');

export interface ApiProcess {
  base: string;
  child: ChildProcess;
  output: () => string;
}

/**
 * Spawns `apps/dragons-api/src/main.ts` the way `npm start` does, against `issuer`. The process runs
 * the app as shipped, on the real clock (an environment variable for a fake one would be a test hook
 * in production code), so the idp runs on the real clock too (`startHttpTestServer`'s default).
 */
export async function spawnApi(issuer: string): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/dragons-api/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      WARDEN_ISSUER: issuer,
      API_AUDIENCE: apiId,
      LOG_LEVEL: 'warn',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((ready, fail) => {
    const check = () => {
      if (output.includes('Listening on')) ready();
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => fail(new Error(`dragons-api exited with ${code}: ${output}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child, output: () => output };
}

/** Stops the API process (SIGTERM) and waits until it has exited. */
export function stopApi(api: ApiProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (api.child.exitCode !== null) return done();
    api.child.once('exit', () => done());
    api.child.kill('SIGTERM');
  });
}
