import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openStorage } from '@warden/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoIdps, startDemoIdps } from './demo-system.js';
import { connectionLinks, signInRequest } from './hosted-pages.js';
import { root } from './spawn-idp.js';
import { WebBrowser } from './web-browser.js';

const run = promisify(execFile);
const warden = join(root, 'node_modules/.bin/warden');

/** A connection as `connections list --json` shows it. */
interface ListedConnection {
  name: string;
  strategy: string;
  preset: string | null;
  displayName: string;
  options: Record<string, unknown>;
  enabledClients: string[];
  hasClientSecret: boolean;
  updatedAt: number;
}

// Each test starts several CLI processes (Node + tsx each, a few seconds apiece on a loaded
// two-core machine): the time goes to process start-up, which these tests do not judge.
describe('the warden CLI against a running idp', { timeout: 90_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'warden-cli-'));
  // The idp runs as `npm start` runs it, after the demo's guild: an OpenID Provider to connect to.
  let demo: DemoIdps;
  let port: number;
  const env = () => ({ ...process.env, ...demo.idpEnv });
  const cli = async (...args: string[]) => {
    const { stdout } = await run(warden, [...args, '--json'], { env: env(), cwd: root });
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  /** The CLI's answer to a command it refuses: exit code 1 and `{ error }` on stdout. */
  const refusal = async (args: string[], environment: NodeJS.ProcessEnv = env()) => {
    const failure = await run(warden, [...args, '--json'], { env: environment, cwd: root }).then(
      (answer) => ({ code: 0, stdout: answer.stdout }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure.code, failure.stdout).toBe(1);
    return (JSON.parse(failure.stdout) as { error: string }).error;
  };
  const connections = async () => (await cli('connections', 'list')) as unknown as ListedConnection[];
  const clients = async () =>
    (await cli('clients', 'list')) as unknown as { clientId: string; connections: string[] }[];

  /**
   * The "Continue with …" buttons the running idp shows on the login page of `clientId`, once
   * they are `expected` (the idp reads connections afresh within a second): polled, with a deadline.
   */
  const buttonsBecome = async (clientId: string, callback: string, expected: string[]) => {
    let labels: string[] = [];
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
      const page = await new WebBrowser().navigate(signInRequest(demo.issuer, clientId, callback).url);
      labels = [...connectionLinks(page.html).keys()];
      if (JSON.stringify(labels) === JSON.stringify(expected)) return labels;
      await new Promise((resume) => setTimeout(resume, 200));
    }
    return labels;
  };

  beforeAll(async () => {
    demo = await startDemoIdps(dataDir);
    port = Number(new URL(demo.issuer).port);
  }, 90_000);

  afterAll(async () => {
    await demo?.stop();
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
    expect(await clients()).toContainEqual(
      expect.objectContaining({
        clientId: 'dragons-spa',
        type: 'spa',
        connections: ['Username-Password-Authentication', 'guild'],
      }),
    );
    expect((await connections()).find((connection) => connection.name === 'guild')).toMatchObject({
      strategy: 'oidc',
      displayName: 'Dragon Riders Guild',
      options: { issuer: demo.guildIssuer, clientId: 'dragons-idp' },
      enabledClients: ['dragons-spa'],
      hasClientSecret: true,
    });
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

  it('authorizes an M2M client for the management API: every scope with --api, fewer with --scope', async () => {
    const api = `${demo.issuer}api/v2/`;
    const token = async (client: Record<string, unknown>) => {
      const response = await fetch(`${demo.issuer}oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: String(client.client_id),
          client_secret: String(client.client_secret),
          audience: api,
        }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { access_token: string; scope: string };
    };
    const manager = await token(
      await cli('clients', 'add', '--type', 'm2m', '--name', 'Manager', '--api', api),
    );
    expect(manager.scope.split(' ')).toEqual(
      expect.arrayContaining(['read:clients', 'create:clients', 'delete:clients', 'read:signing_keys']),
    );
    const listed = await fetch(`${api}clients`, {
      headers: { authorization: `Bearer ${manager.access_token}` },
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { client_id: string }[]).map((client) => client.client_id)).toContain(
      'dragons-spa',
    );
    const reader = await token(
      await cli(
        'clients',
        'add',
        '--type',
        'm2m',
        '--name',
        'Reader',
        '--api',
        api,
        '--scope',
        'read:clients',
      ),
    );
    expect(reader.scope).toBe('read:clients');
    const denied = await fetch(`${api}clients/dragons-spa`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${reader.access_token}` },
    });
    expect(denied.status).toBe(403);
    expect(
      await refusal(['clients', 'add', '--type', 'm2m', '--name', 'X', '--api', api, '--scope', 'fly']),
    ).toMatch(/--scope fly is not a scope of/);
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

  it('adds an OpenID Provider by its issuer, offers it per client, and never prints its secret', async () => {
    const secret = 'riders-secret-that-must-stay-inside';
    const added = (await cli(
      'connections',
      'add',
      '--type',
      'oidc',
      '--name',
      'riders',
      '--display-name',
      'Riders',
      '--issuer',
      demo.guildIssuer,
      '--client-id',
      'riders-app',
      '--client-secret',
      secret,
      '--scope',
      'openid',
      '--scope',
      'email',
      '--userinfo',
      '--trust-email',
      '--enable-for',
      'dragons-spa',
    )) as unknown as ListedConnection;
    expect(added).toMatchObject({
      name: 'riders',
      strategy: 'oidc',
      preset: null,
      displayName: 'Riders',
      options: {
        issuer: demo.guildIssuer,
        clientId: 'riders-app',
        scopes: ['openid', 'email'],
        userinfo: true,
        trustEmail: true,
        storeTokens: false,
      },
      enabledClients: ['dragons-spa'],
      hasClientSecret: true,
    });
    expect(
      await buttonsBecome('dragons-spa', 'http://localhost:4200/callback', ['Dragon Riders Guild', 'Riders']),
    ).toEqual(['Dragon Riders Guild', 'Riders']);

    // A new app offering only this connection: no password form, one button.
    const app = await cli(
      'clients',
      'add',
      '--type',
      'spa',
      '--name',
      'Riders app',
      '--callback',
      'http://localhost:4500/callback',
      '--connection',
      'riders',
    );
    const appId = String(app.client_id);
    expect((await clients()).find((client) => client.clientId === appId)?.connections).toEqual(['riders']);
    expect(await cli('connections', 'disable', '--name', 'riders', '--client', 'dragons-spa')).toMatchObject({
      enabledClients: [appId],
    });
    expect(
      await buttonsBecome('dragons-spa', 'http://localhost:4200/callback', ['Dragon Riders Guild']),
    ).toEqual(['Dragon Riders Guild']);
    expect(await cli('connections', 'enable', '--name', 'riders', '--client', 'dragons-spa')).toMatchObject({
      enabledClients: [appId, 'dragons-spa'].sort(),
    });

    // An update changes what it names and keeps the rest, the secret included.
    const updated = (await cli(
      'connections',
      'update',
      '--name',
      'riders',
      '--display-name',
      'Guild riders',
      '--no-trust-email',
      '--scope',
      'openid',
      '--scope',
      'profile',
    )) as unknown as ListedConnection;
    expect(updated).toMatchObject({
      displayName: 'Guild riders',
      options: { clientId: 'riders-app', scopes: ['openid', 'profile'], userinfo: true, trustEmail: false },
      hasClientSecret: true,
    });
    const listed = await run(warden, ['connections', 'list', '--json'], { env: env(), cwd: root });
    const table = await run(warden, ['connections', 'list'], { env: env(), cwd: root });
    for (const output of [JSON.stringify(added), JSON.stringify(updated), listed.stdout, table.stdout]) {
      expect(output).not.toContain(secret);
    }
    expect(table.stdout).toMatch(/'riders' .*'Guild riders'/);

    expect(await cli('connections', 'remove', '--name', 'riders')).toEqual({ name: 'riders' });
    expect((await connections()).map((connection) => connection.name)).not.toContain('riders');
    expect((await clients()).find((client) => client.clientId === appId)?.connections).toEqual([]);
  });

  it('refuses bad connections with exit code 1 and a message naming what is wrong', async () => {
    const oidc = ['connections', 'add', '--type', 'oidc', '--name', 'bad'];
    expect(await refusal(['connections', 'add', '--type', 'myspace', '--name', 'bad'])).toMatch(
      /^--type must be one of oidc, oauth2, google, github, facebook, microsoft, apple, x, gitlab, discord/,
    );
    expect(await refusal([...oidc, '--issuer', demo.guildIssuer])).toMatch(/^--client-id: is required/);
    // Plain http even on this machine only when the idp's environment allows it.
    expect(
      await refusal([...oidc, '--client-id', 'c', '--issuer', demo.guildIssuer], {
        ...env(),
        WARDEN_ALLOW_INSECURE_UPSTREAMS: 'false',
      }),
    ).toMatch(/^--issuer: must use https \(plain http is allowed for localhost only/);
    expect(await refusal([...oidc, '--client-id', 'c', '--issuer', `${demo.guildIssuer}nowhere/`])).toMatch(
      /^--issuer: .*discovery/,
    );
    expect(await refusal([...oidc, '--client-id', 'c', '--setting', 'clientSecret=shown'])).toMatch(
      /^--setting clientSecret: give it with --client-secret/,
    );
    expect(
      await refusal([
        ...oidc,
        '--client-id',
        'c',
        '--issuer',
        demo.guildIssuer,
        '--enable-for',
        'no-such-app',
      ]),
    ).toBe('unknown client: no-such-app');
    expect(
      await refusal([
        'connections',
        'add',
        '--type',
        'microsoft',
        '--name',
        'bad',
        '--client-id',
        'c',
        '--client-secret',
        's',
        '--tenant',
        'not a tenant',
      ]),
    ).toMatch(/^--tenant: must be common, organizations, consumers/);
    expect(await refusal(['connections', 'remove', '--name', 'Username-Password-Authentication'])).toMatch(
      /cannot be removed/,
    );
    expect((await connections()).map((connection) => connection.name)).not.toContain('bad');
  });

  it('takes an oauth2 provider from its endpoints, a preset from its own settings, and Apple key files', async () => {
    const github = (await cli(
      'connections',
      'add',
      '--type',
      'oauth2',
      '--name',
      'forge',
      '--client-id',
      'forge-app',
      '--client-secret',
      'forge-secret',
      '--authorization-endpoint',
      'https://forge.example/login/oauth/authorize',
      '--token-endpoint',
      'https://forge.example/login/oauth/access_token',
      '--profile-endpoint',
      'https://forge.example/api/user',
      '--scope',
      'read:user',
      '--mapping',
      'id=id',
      '--mapping',
      'nickname=login',
      '--mapping',
      'nickname=username',
      '--mapping',
      'locale=',
    )) as unknown as ListedConnection;
    expect(github).toMatchObject({
      strategy: 'oauth2',
      displayName: 'forge.example',
      options: {
        authorizationEndpoint: 'https://forge.example/login/oauth/authorize',
        profileEndpoint: 'https://forge.example/api/user',
        scopes: ['read:user'],
        mapping: { id: 'id', nickname: ['login', 'username'], locale: null },
      },
    });
    const entra = (await cli(
      'connections',
      'add',
      '--type',
      'microsoft',
      '--name',
      'entra',
      '--client-id',
      'entra-app',
      '--client-secret',
      'entra-secret',
      // The guild stands in for the provider's discovery: the test runs offline.
      '--issuer',
      demo.guildIssuer,
      '--setting',
      'tenant=contoso.example',
    )) as unknown as ListedConnection;
    expect(entra).toMatchObject({
      preset: 'microsoft',
      displayName: 'Microsoft',
      options: { tenant: 'contoso.example' },
    });

    const p8 = join(dataDir, 'AuthKey_ABCDEFGHIJ.p8');
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ format: 'pem', type: 'pkcs8' })
      .toString();
    writeFileSync(p8, pem);
    const apple = (await cli(
      'connections',
      'add',
      '--type',
      'apple',
      '--name',
      'apple',
      '--client-id',
      'com.example.dragons',
      '--issuer',
      demo.guildIssuer,
      '--team-id',
      'TEAM123456',
      '--key-id',
      'ABCDEFGHIJ',
      '--private-key-file',
      p8,
    )) as unknown as ListedConnection;
    expect(apple).toMatchObject({
      preset: 'apple',
      options: { teamId: 'TEAM123456', keyId: 'ABCDEFGHIJ' },
      hasClientSecret: true,
    });
    const keyBody = pem.split('\n')[1]!;
    expect(JSON.stringify(await connections())).not.toContain(keyBody);
    expect(
      await refusal([
        'connections',
        'update',
        '--name',
        'apple',
        '--private-key-file',
        join(dataDir, 'missing.p8'),
      ]),
    ).toMatch(/^--private-key-file: cannot read .*ENOENT/);
    for (const name of ['forge', 'entra', 'apple']) await cli('connections', 'remove', '--name', name);
  });

  it('applies connections from a registration file after its clients, and applying it again changes nothing', async () => {
    const file = join(dataDir, 'connections.yaml');
    writeFileSync(
      file,
      [
        'clients:',
        '  - client_id: saddlery',
        '    type: spa',
        '    name: Saddlery',
        '    callbacks: [http://localhost:4600/callback]',
        '    connections: []',
        'connections:',
        '  - name: stables',
        '    type: oidc',
        '    display_name: Stables',
        `    issuer: ${demo.guildIssuer}`,
        '    client_id: stables-app',
        '    client_secret: stables-secret',
        '    scopes: [openid, profile, email]',
        '    trust_email: true',
        '    enabled_clients: [saddlery, dragons-spa]',
        '    settings:',
        '      userinfo: true',
        '      mapping: { nickname: [preferred_username, name] }',
        '',
      ].join('\n'),
    );
    const first = await cli('config', 'apply', file);
    expect(first.created_client_secrets).toEqual({});
    const stables = (await connections()).find((connection) => connection.name === 'stables');
    expect(stables).toMatchObject({
      displayName: 'Stables',
      options: {
        issuer: demo.guildIssuer,
        clientId: 'stables-app',
        scopes: ['openid', 'profile', 'email'],
        userinfo: true,
        trustEmail: true,
        mapping: { nickname: ['preferred_username', 'name'] },
      },
      enabledClients: ['dragons-spa', 'saddlery'],
      hasClientSecret: true,
    });
    expect((await clients()).find((client) => client.clientId === 'saddlery')?.connections).toEqual([
      'stables',
    ]);

    await cli('connections', 'disable', '--name', 'stables', '--client', 'dragons-spa');
    const before = await connections();
    expect((await cli('config', 'apply', file)).created_client_secrets).toEqual({});
    // What exists is left as it is, even where it differs from the file now.
    expect(await connections()).toEqual(before);

    writeFileSync(
      file,
      ['connections:', '  - name: stray', '    type: oidc', '    tenant: x', ''].join('\n'),
    );
    expect(await refusal(['config', 'apply', file])).toMatch(/^connections\[0\]: unknown key tenant/);
  });

  it('prints a JSON error and exits 1 for a bad request', async () => {
    expect(await refusal(['users', 'add', '--email', 'nobody', '--password', 'x'])).toBeTypeOf('string');
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
    expect(await cli('users', 'block', '\u00c9MILE')).toEqual({ user_id: added.user_id, blocked: true });
    const blocked = (await cli('users', 'list')) as unknown as { id: string; blocked: boolean }[];
    expect(blocked.find((user) => user.id === added.user_id)?.blocked).toBe(true);
    expect(await cli('users', 'unblock', added.user_id as string)).toEqual({
      user_id: added.user_id,
      blocked: false,
    });
    expect(await cli('users', 'remove', '\u00e9mile-cli@example.com')).toEqual({
      user_id: added.user_id,
    });
    expect(await refusal(['users', 'remove', added.user_id as string])).toMatch(/^unknown user: /);
  });

  it('leaves an audit entry for a password set from the CLI: sapi, made by the CLI, without the password', async () => {
    const added = await cli(
      'users',
      'add',
      '--email',
      'audited-cli@example.com',
      '--password',
      'long enough password',
    );
    await cli('users', 'set-password', 'audited-cli@example.com', '--password', 'the new password here');
    const opened = await openStorage({
      sqliteFile: resolve(root, demo.idpEnv.WARDEN_DATA_DIR!, 'warden.db'),
    });
    try {
      const changes = await opened.storage.logs.listFrom({
        take: 100,
        filter: [{ field: 'type', anyOf: ['sapi'] }],
      });
      const target = (entry: (typeof changes)[number]) =>
        (entry.details?.target as { user_id?: string } | undefined)?.user_id;
      const set = changes.filter((entry) => target(entry) === added.user_id);
      expect(set.map((entry) => entry.description)).toEqual(["Set a user's password", 'Create a user']);
      expect(set[0]).toMatchObject({
        clientId: null,
        userId: null,
        details: { actor: { kind: 'cli' }, changed: expect.arrayContaining(['passwordHash']) },
      });
      expect(JSON.stringify(changes)).not.toMatch(/the new password here|long enough password/);
    } finally {
      await opened.close();
    }
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

  it('adds, renames, assigns, unassigns and removes a role; a permission the API lacks is refused', async () => {
    const dragons = 'http://localhost:3001/api/';
    const added = await cli('roles', 'add', '--name', 'keeper', '--permission', `${dragons}=read:dragons`);
    expect(added).toMatchObject({ id: expect.stringMatching(/^rol_/), name: 'keeper' });
    expect(
      await refusal(['roles', 'add', '--name', 'keeper', '--permission', `${dragons}=feed:dragons`]),
    ).toBe(`--permission feed:dragons is not a scope of the API ${dragons}`);
    const renamed = await cli(
      'roles',
      'update',
      '--name',
      'keeper',
      '--rename',
      'dragon-keeper',
      '--description',
      'Keeps',
    );
    expect(renamed).toMatchObject({ id: added.id, name: 'dragon-keeper', description: 'Keeps' });
    await cli('roles', 'assign', 'user@example.com', '--role', 'dragon-keeper');
    const roles = (await cli(
      'roles',
      'unassign',
      'user@example.com',
      '--role',
      'dragon-keeper',
    )) as unknown as unknown[];
    expect(roles).toEqual([]);
    expect(await cli('roles', 'remove', '--name', 'dragon-keeper')).toEqual({
      id: added.id,
      name: 'dragon-keeper',
    });
    expect(await refusal(['roles', 'remove', '--name', 'dragon-keeper'])).toBe('unknown role: dragon-keeper');
  });
});
