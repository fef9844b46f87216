import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { PrivateJwk } from '@warden/protocol';
import { benchFile, LOAD_CORE, SERVER_CORE } from './pinned-node.js';

/** Seconds an access token of the API benchmarks stays valid (RFC 9068 `exp` = `iat` + this). */
export const TOKEN_LIFETIME = 3600;

export interface AccessTokenClaimsInput {
  issuer: string;
  audience: string;
  /** Makes `jti` (and, modulo 1,000, `sub` and `sid`) distinct per token. */
  index: number;
  /** Epoch seconds. */
  iat: number;
}

/**
 * The claims of a user's access token for the Dragons API, shaped as Warden's token issuer
 * writes them (RFC 9068 §2.2 plus `sid`, `auth_time`, `roles`, `permissions`), with a `jti` of its
 * own per `index`. It does NOT sign anything.
 */
export function accessTokenClaims(input: AccessTokenClaimsInput): Record<string, unknown> {
  const user = input.index % 1000;
  return {
    iss: input.issuer,
    sub: `usr_bench${String(user).padStart(6, '0')}`,
    aud: input.audience,
    iat: input.iat,
    exp: input.iat + TOKEN_LIFETIME,
    jti: `bench-${input.index.toString(36).padStart(8, '0')}-${input.iat.toString(36)}`,
    client_id: 'dragons-spa',
    scope: 'read:dragons',
    sid: `sid_bench${String(user).padStart(6, '0')}`,
    auth_time: input.iat - 60,
    roles: ['user'],
    permissions: ['read:dragons'],
  };
}

/** What `lib/sign-access-tokens.ts` is given (as one JSON argument). */
export interface SignTokensJob {
  privateJwk: PrivateJwk;
  issuer: string;
  audience: string;
  /** Index of the first token (so two jobs make disjoint `jti`s). */
  from: number;
  count: number;
  iat: number;
  /** Where the tokens go, one per line. */
  file: string;
}

/**
 * Signs `count` distinct access tokens with `privateJwk` (through protocol's node signer) into
 * files, half on each core in two processes at once (RS256 signing is ~0.3 ms a token), and
 * returns the files. Meant to run before anything is measured: it uses both cores.
 */
export async function signTokenFiles(options: {
  privateJwk: PrivateJwk;
  issuer: string;
  audience: string;
  count: number;
  /** Prefix of the files: `<prefix>.0`, `<prefix>.1`. */
  filePrefix: string;
}): Promise<string[]> {
  const iat = Math.floor(Date.now() / 1000);
  const half = Math.ceil(options.count / 2);
  const jobs: SignTokensJob[] = [SERVER_CORE, LOAD_CORE].map((_, i) => ({
    privateJwk: options.privateJwk,
    issuer: options.issuer,
    audience: options.audience,
    from: i * half,
    count: Math.max(0, Math.min(half, options.count - i * half)),
    iat,
    file: `${options.filePrefix}.${i}`,
  }));
  await Promise.all(jobs.map((job, i) => runSignJob(job, i === 0 ? SERVER_CORE : LOAD_CORE)));
  return jobs.filter((job) => job.count > 0).map((job) => job.file);
}

/** Removes token files; missing ones are ignored. */
export function removeTokenFiles(files: readonly string[]): void {
  for (const file of files) rmSync(file, { force: true });
}

function runSignJob(job: SignTokensJob, core: number): Promise<void> {
  if (job.count === 0) return Promise.resolve();
  // Not measured, so it runs through the TypeScript loader instead of a bundle.
  const child = spawn(
    'taskset',
    [
      '-c',
      String(core),
      process.execPath,
      '--import',
      'tsx',
      benchFile('lib/sign-access-tokens.ts'),
      JSON.stringify(job),
    ],
    { cwd: benchFile('..'), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`signing tokens failed (${code}):\n${stderr}`)),
    );
  });
}
