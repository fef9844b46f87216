import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const warden = join(root, 'node_modules/.bin/warden');

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

// Each test starts several CLI processes (Node + tsx each, a few seconds apiece on a loaded
// two-core machine): the time goes to process start-up, which these tests do not judge.
describe('the warden CLI against a running idp', { timeout: 90_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-cli-'));
  let port: number;
  let idp: ChildProcess;
  const env = () => ({ ...process.env, WARDEN_DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: '' });
  const cli = async (...args: string[]) => {
    const { stdout } = await run(warden, [...args, '--json'], { env: env(), cwd: root });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    port = await freePort();
    idp = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/idp/src/main.ts')], {
      env: env(),
      cwd: root,
    });
    await new Promise<void>((ready, fail) => {
      let output = '';
      idp.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Listening on')) ready();
      });
      idp.once('exit', (code) => fail(new Error(`idp exited with ${code}: ${output}`)));
    });
  }, 60_000);

  afterAll(() => {
    idp?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with the demo: the Dragons API, the SPA and two users, one an admin', async () => {
    const apis = (await cli('apis', 'list')) as unknown as {
      identifier: string;
      rbac: boolean;
      signingAlg: string;
    }[];
    expect(apis).toContainEqual(
      expect.objectContaining({ identifier: 'http://localhost:3001/api/', rbac: true, signingAlg: 'RS256' }),
    );
    const users = (await cli('users', 'list')) as unknown as { email: string; roles: string[] }[];
    expect(users.find((user) => user.email === 'admin@example.com')?.roles).toEqual(['admin']);
    expect(users.find((user) => user.email === 'user@example.com')?.roles).toEqual([]);
    const clients = (await cli('clients', 'list')) as unknown as { clientId: string; type: string }[];
    expect(clients).toContainEqual(expect.objectContaining({ clientId: 'dragons-spa', type: 'spa' }));
  });

  it('registers an M2M client that the running server accepts at once', async () => {
    const created = await cli(
      'clients',
      'add',
      '--type',
      'm2m',
      '--name',
      'Feeder',
      '--api',
      'http://localhost:3001/api/',
    );
    expect(created.client_id).toBeTypeOf('string');
    expect(String(created.client_secret).length).toBeGreaterThanOrEqual(43);
    const response = await fetch(`http://localhost:${port}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: String(created.client_id),
        client_secret: String(created.client_secret),
        audience: 'http://localhost:3001/api/',
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { access_token: string }).access_token.split('.')).toHaveLength(3);
  });

  it('rotates keys: the next key becomes current and the running server publishes a new next', async () => {
    const before = (await (await fetch(`http://localhost:${port}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    const rotated = (await cli('keys', 'rotate')) as unknown as {
      current: string;
      next: string;
      retired: string;
    }[];
    await new Promise((done) => setTimeout(done, 1100));
    const after = (await (await fetch(`http://localhost:${port}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };
    const kids = after.keys.map((key) => key.kid);
    expect(before.keys.map((key) => key.kid)).toContain(rotated[0]!.current);
    expect(kids).toEqual(
      expect.arrayContaining([rotated[0]!.retired, rotated[0]!.current, rotated[0]!.next]),
    );
  });

  it('applies a YAML registration file, and applying it again changes nothing', async () => {
    const file = join(dataDir, 'warden.yaml');
    writeFileSync(
      file,
      [
        'apis:',
        '  - identifier: https://ledger.example/',
        '    alg: ES256',
        '    rbac: true',
        '    scopes: [read:entries]',
        'roles:',
        '  - name: auditor',
        '    permissions: [{ api: https://ledger.example/, permission: read:entries }]',
        'clients:',
        '  - client_id: ledger-job',
        '    type: m2m',
        '    name: Ledger job',
        '    apis: [https://ledger.example/]',
        'users:',
        '  - email: auditor@example.com',
        '    password: audit-all-the-things',
        '    roles: [auditor]',
        '',
      ].join('\n'),
    );
    const first = await cli('config', 'apply', file);
    expect(Object.keys(first.created_client_secrets as object)).toEqual(['ledger-job']);
    const again = await cli('config', 'apply', file);
    expect(again.created_client_secrets).toEqual({});
    const apis = (await cli('apis', 'list')) as unknown as { identifier: string; signingAlg: string }[];
    expect(apis).toContainEqual(
      expect.objectContaining({ identifier: 'https://ledger.example/', signingAlg: 'ES256' }),
    );
    const users = (await cli('users', 'list')) as unknown as { email: string; roles: string[] }[];
    expect(users.find((user) => user.email === 'auditor@example.com')?.roles).toEqual(['auditor']);
  });

  it('prints a JSON error and exits 1 for a bad request', async () => {
    const failure = await run(warden, ['users', 'add', '--email', 'nobody', '--password', 'x', '--json'], {
      env: env(),
      cwd: root,
    }).catch((error: { code: number; stdout: string }) => error);
    expect((failure as { code: number }).code).toBe(1);
    expect(JSON.parse((failure as { stdout: string }).stdout)).toHaveProperty('error');
  });

  it('keeps emails and usernames in one form and finds them in another', async () => {
    const added = await cli(
      'users',
      'add',
      '--email',
      '\u00c9mile-CLI@Example.com',
      '--username',
      'E\u0301mile',
      '--password',
      'long enough password',
    );
    const users = (await cli('users', 'list')) as unknown as {
      id: string;
      email: string;
      username: string | null;
      nickname: string | null;
    }[];
    expect(users.find((user) => user.id === added.user_id)).toMatchObject({
      email: '\u00e9mile-cli@example.com',
      username: '\u00e9mile',
      nickname: '\u00c9mile',
    });
    expect(
      await cli('users', 'set-password', 'e\u0301mile-cli@EXAMPLE.com', '--password', 'another long one'),
    ).toEqual({
      user_id: added.user_id,
    });
    expect(await cli('users', 'revoke', '\u00c9MILE')).toMatchObject({ user_id: added.user_id });
  });

  it('refuses look-alike addresses and usernames, and an address taken in another form', async () => {
    await cli('users', 'add', '--email', 'Zo\u00eb-cli@example.com', '--password', 'long enough password');
    for (const [args, message] of [
      [['--email', '\u212Aelvin@example.com'], /^--email: .*special form of a letter/],
      [['--email', 'fuzz@\u0435x\u0430m\u0440l\u0435.com'], /^--email: .*mixes letters of different scripts/],
      [['--email', 'taken@example.com', '--username', '\uff42\uff49\uff4c\uff42\uff4f'], /^--username: /],
      [['--email', 'ZOE\u0308-cli@EXAMPLE.com'], /^a user with email zo\u00eb-cli@example.com exists$/],
    ] as const) {
      const failure = await run(
        warden,
        ['users', 'add', ...args, '--password', 'long enough password', '--json'],
        {
          env: env(),
          cwd: root,
        },
      ).catch((error: { code: number; stdout: string }) => error);
      expect((failure as { code: number }).code).toBe(1);
      expect((JSON.parse((failure as { stdout: string }).stdout) as { error: string }).error).toMatch(
        message,
      );
    }
  });
});
