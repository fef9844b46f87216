import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningSystemInfo } from './test.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

/** The console of the system's idp: `<issuer>console/`. */
export function consoleUrl(system: RunningSystemInfo, path = ''): string {
  return `${system.idpUrl}console/${path}`;
}

/**
 * `warden <args> --json` against the system's idp, as its operator runs it: the same data
 * directory (database and secret) and issuer.
 */
export async function wardenCli(system: RunningSystemInfo, ...args: string[]): Promise<unknown> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', join(root, 'apps/idp/src/cli.ts'), ...args, '--json'],
    {
      cwd: root,
      env: {
        ...process.env,
        WARDEN_DATA_DIR: system.dataDir,
        WARDEN_ISSUER: system.idpUrl,
        DATABASE_URL: '',
        REDIS_URL: '',
      },
    },
  );
  return JSON.parse(stdout) as unknown;
}

/** `warden console setup-link`: the first administrator's link, or null once there is one. */
export async function consoleSetupLink(system: RunningSystemInfo): Promise<string | null> {
  const answer = (await wardenCli(system, 'console', 'setup-link')) as { setupLink: string | null };
  return answer.setupLink;
}
