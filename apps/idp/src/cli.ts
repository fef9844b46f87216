import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  type Admin,
  AdminError,
  CONSOLE_PATH,
  consoleSetupLink,
  type EncryptionSettings,
  type SigningAlg,
} from '@warden/server';
import pino from 'pino';
import { applyConfig, readConfigFile } from './apply-config.js';
import { connectionChanges, connectionFlagOptions } from './connection-flags.js';
import { readIdpEnv } from './idp-env.js';
import { type Idp, openIdp } from './open-idp.js';

const usage = `Usage: warden <command> [options] [--json]

  clients add --type spa|web|m2m|native --name N [--callback URL]... [--origin URL]...
              [--logout-url URL]... [--api IDENTIFIER]... [--scope S]... [--third-party]
              [--legacy-implicit] [--connection NAME]...
              --api: an m2m client may get tokens for the API (<issuer>api/v2/: the management
              API), with all its scopes, or only the --scope ones named
              --connection: connections offered (default: Username-Password-Authentication)
  clients list                    clients with the connections they offer
  connections add --type oidc|oauth2|PRESET --name N [--display-name D] [--client-id ID]
              [--client-secret S | --private-key-file P8] [--issuer URL] [--scope S]...
              [--trust-email] [--store-tokens] [--enable-for CLIENT_ID]...
              oidc: [--userinfo]   oauth2: --authorization-endpoint URL --token-endpoint URL
              --profile-endpoint URL [--emails-endpoint URL]   any: [--mapping FIELD=PATH]...
              [--no-pkce] [--token-endpoint-auth-method client_secret_basic|client_secret_post]
              PRESET: google github facebook microsoft (--tenant T) apple (--team-id --key-id
              --private-key-file) x gitlab discord; [--setting NAME=VALUE]... for any setting
  connections update --name N [the flags of add but --type and --enable-for]
              [--no-trust-email] [--no-store-tokens] [--no-userinfo] [--pkce]
  connections enable --name N --client CLIENT_ID
  connections disable --name N --client CLIENT_ID
  connections list                connections and their settings (secrets only as hasClientSecret)
  connections remove --name N     its users stay; their identities at it go
  connections types               the types this server takes
  apis add --identifier URL [--name N] [--alg RS256|ES256|EdDSA|PS256] [--rbac] [--scope S]... [--ttl SECONDS]
           [--encrypt-jwk FILE]  encrypt access tokens to this public JWK (alg RSA-OAEP-256 or ECDH-ES)
  apis list
  users add --email E --password P [--name N] [--username U] [--role R]...
  users list
  users set-password <user> --password P
  users revoke <user>            sign the user out everywhere and revoke their tokens
  users block <user>             the user cannot sign in or refresh tokens; their sessions end
  users unblock <user>
  users remove <user>            delete the user; their sessions end and their tokens are revoked
  roles add --name N [--description D] [--permission API_IDENTIFIER=PERMISSION]...
  roles assign <user> --role R...
  roles unassign <user> --role R...
  roles update --name N [--rename M] [--description D]
  roles remove --name N           its users lose it; tokens already issued keep it until they expire
  roles list
  keys list
  keys rotate                     next key becomes current; a new next key is published
  keys revoke-all                 revoke every key and token: everyone signs in again
  config apply <file>             create what a JSON/YAML registration file declares
  console setup-link              while the console has no administrator: a link (valid 24 h)
                                  that creates the first one

The database is the idp's (DATABASE_URL, or ./data/warden.db); changes apply to running servers.
--json prints machine-readable JSON only.`;

const options = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  type: { type: 'string' },
  name: { type: 'string' },
  callback: { type: 'string', multiple: true },
  origin: { type: 'string', multiple: true },
  'logout-url': { type: 'string', multiple: true },
  api: { type: 'string', multiple: true },
  'third-party': { type: 'boolean' },
  'legacy-implicit': { type: 'boolean' },
  identifier: { type: 'string' },
  alg: { type: 'string' },
  rbac: { type: 'boolean' },
  scope: { type: 'string', multiple: true },
  ttl: { type: 'string' },
  'encrypt-jwk': { type: 'string' },
  connection: { type: 'string', multiple: true },
  client: { type: 'string' },
  ...connectionFlagOptions,
  email: { type: 'string' },
  password: { type: 'string' },
  username: { type: 'string' },
  role: { type: 'string', multiple: true },
  description: { type: 'string' },
  rename: { type: 'string' },
  permission: { type: 'string', multiple: true },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** A public JWK file for per-API token encryption; its `alg` names the key management algorithm. */
function readEncryptionJwk(path: string): EncryptionSettings {
  const jwk = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  if (jwk.alg !== 'RSA-OAEP-256' && jwk.alg !== 'ECDH-ES') {
    throw new AdminError('--encrypt-jwk: the JWK must have "alg": "RSA-OAEP-256" or "ECDH-ES"');
  }
  if ('d' in jwk)
    throw new AdminError('--encrypt-jwk: give the public key only (the API keeps the private key)');
  return { alg: jwk.alg, publicJwk: jwk };
}

/** Each client with the names of the connections it offers (one more query, not one per client). */
async function clientsWithConnections(admin: Admin) {
  const [clients, connections] = await Promise.all([admin.listClients(), admin.listConnections()]);
  return clients.map((client) => ({
    ...client,
    connections: connections
      .filter((connection) => connection.enabledClients.includes(client.clientId))
      .map((connection) => connection.name),
  }));
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new AdminError(`--${name} is required`);
  return value;
}

function positional(args: string[], index: number, what: string): string {
  const value = args[index];
  if (!value) throw new AdminError(`missing ${what}`);
  return value;
}

async function run(idp: Idp, command: string[], values: Values): Promise<unknown> {
  const { admin } = idp;
  const [group, action] = command;
  switch (`${group} ${action}`) {
    case 'clients add':
      return admin.addClient({
        type: required(values.type, 'type') as 'spa',
        name: required(values.name, 'name'),
        callbacks: values.callback ?? [],
        origins: values.origin ?? [],
        logoutUrls: values['logout-url'] ?? [],
        apis: values.api ?? [],
        ...(values.scope ? { scopes: values.scope } : {}),
        thirdParty: values['third-party'] ?? false,
        legacyImplicit: values['legacy-implicit'] ?? false,
        ...(values.connection ? { connections: values.connection } : {}),
      });
    case 'clients list':
      return clientsWithConnections(admin);
    case 'connections add':
      return admin.addConnection({
        name: required(values.name, 'name'),
        type: required(values.type, 'type'),
        ...connectionChanges(values),
        enabledClients: values['enable-for'] ?? [],
      });
    case 'connections update': {
      if (values.type !== undefined)
        throw new AdminError('--type cannot change: remove the connection and add it again');
      if (values['enable-for'] !== undefined) {
        throw new AdminError(
          '--enable-for is for connections add; use connections enable or disable --client',
        );
      }
      return admin.updateConnection(required(values.name, 'name'), connectionChanges(values));
    }
    case 'connections enable':
      return admin.enableConnection(required(values.name, 'name'), required(values.client, 'client'));
    case 'connections disable':
      return admin.disableConnection(required(values.name, 'name'), required(values.client, 'client'));
    case 'connections list':
      return admin.listConnections();
    case 'connections remove':
      return admin.removeConnection(required(values.name, 'name'));
    case 'connections types':
      return admin.connectionTypes();
    case 'apis add':
      return admin.addApi({
        identifier: required(values.identifier, 'identifier'),
        ...(values.name ? { name: values.name } : {}),
        alg: (values.alg ?? 'RS256') as SigningAlg,
        rbac: values.rbac ?? false,
        scopes: values.scope ?? [],
        ...(values.ttl ? { accessTokenTtl: Number(values.ttl) } : {}),
        ...(values['encrypt-jwk'] ? { encryption: readEncryptionJwk(values['encrypt-jwk']) } : {}),
      });
    case 'apis list':
      return admin.listApis();
    case 'users add':
      return admin.addUser({
        email: required(values.email, 'email'),
        password: required(values.password, 'password'),
        ...(values.name ? { name: values.name } : {}),
        ...(values.username ? { username: values.username } : {}),
        roles: values.role ?? [],
      });
    case 'users list':
      return admin.listUsers();
    case 'users set-password':
      return admin.setPassword(positional(command, 2, '<user>'), required(values.password, 'password'));
    case 'users revoke':
      return admin.revokeUser(positional(command, 2, '<user>'));
    case 'users block':
    case 'users unblock': {
      const user = await admin.findUser(positional(command, 2, '<user>'));
      const blocked = action === 'block';
      return { user_id: (await admin.updateUser(user.id, { blocked })).id, blocked };
    }
    case 'users remove':
      return admin.removeUser((await admin.findUser(positional(command, 2, '<user>'))).id);
    case 'roles add':
      return admin.addRole(
        required(values.name, 'name'),
        values.description ?? '',
        (values.permission ?? []).map((entry) => {
          const at = entry.lastIndexOf('=');
          if (at < 1) throw new AdminError('--permission is API_IDENTIFIER=PERMISSION');
          return { api: entry.slice(0, at), permission: entry.slice(at + 1) };
        }),
      );
    case 'roles assign': {
      const user = positional(command, 2, '<user>');
      const roles = values.role ?? [];
      if (roles.length === 0) throw new AdminError('--role is required');
      const assigned = [];
      for (const role of roles) assigned.push(await admin.assignRole(user, role));
      return assigned.length === 1 ? assigned[0] : assigned;
    }
    case 'roles unassign': {
      const roles = values.role ?? [];
      if (roles.length === 0) throw new AdminError('--role is required');
      return admin.removeUserRoles(positional(command, 2, '<user>'), roles);
    }
    case 'roles update':
      return admin.updateRole(required(values.name, 'name'), {
        ...(values.rename === undefined ? {} : { name: values.rename }),
        ...(values.description === undefined ? {} : { description: values.description }),
      });
    case 'roles remove':
      return admin.removeRole(required(values.name, 'name'));
    case 'roles list':
      return admin.listRoles();
    case 'keys list':
      return admin.listKeys();
    case 'keys rotate':
      return admin.rotateKeys();
    case 'keys revoke-all':
      return admin.revokeAllKeys();
    case 'console setup-link':
      return {
        console: `${idp.server.context.config.issuer}${CONSOLE_PATH.slice(1)}`,
        setupLink: (await consoleSetupLink(idp.server.context)) ?? null,
      };
    case 'config apply':
      return {
        created_client_secrets: await applyConfig(admin, readConfigFile(positional(command, 2, '<file>'))),
      };
    default:
      throw new AdminError(`unknown command: ${command.join(' ') || '(none)'}\n\n${usage}`);
  }
}

/** A connection list as a table: one line each, the settings left to `--json`. */
function connectionRows(connections: Awaited<ReturnType<Admin['listConnections']>>) {
  return connections.map((connection) => ({
    name: connection.name,
    type: connection.preset ?? connection.strategy,
    displayName: connection.displayName,
    enabledClients: connection.enabledClients.join(' '),
    hasClientSecret: connection.hasClientSecret,
    trustEmail: connection.options.trustEmail === true,
    storeTokens: connection.options.storeTokens === true,
  }));
}

function printHuman(result: unknown): void {
  if (Array.isArray(result)) {
    if (result.length === 0) console.log('(none)');
    else console.table(result);
  } else {
    console.log(result);
  }
}

/** The link alone (for scripts), or why there is none. */
function printSetupLink({ console: home, setupLink }: { console: string; setupLink: string | null }): void {
  if (setupLink) console.log(setupLink);
  else {
    console.log(
      `The console has an administrator: sign in at ${home}. ` +
        '`warden roles assign <user> --role warden:admin` makes another.',
    );
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(usage);
    return positionals.length === 0 && !values.help ? 2 : 0;
  }
  // Errors (an audit entry that could not be written) go to stderr, as JSON lines;
  // stdout stays the command's answer.
  const idp = await openIdp(
    readIdpEnv(),
    pino({ level: 'error' }, pino.destination({ dest: 2, sync: true })),
  );
  try {
    const result = await run(idp, positionals, values);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (positionals.join(' ') === 'connections list') {
      printHuman(connectionRows(result as Awaited<ReturnType<Admin['listConnections']>>));
    } else if (positionals.join(' ') === 'console setup-link') {
      printSetupLink(result as { console: string; setupLink: string | null });
    } else printHuman(result);
    return 0;
  } catch (error) {
    const message = error instanceof AdminError || error instanceof TypeError ? error.message : String(error);
    if (values.json) console.log(JSON.stringify({ error: message }));
    else console.error(`warden: ${message}`);
    return 1;
  } finally {
    await idp.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
