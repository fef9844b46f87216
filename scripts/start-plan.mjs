// What `npm start` runs (scripts/start.mjs), worked out from its environment without starting
// anything, so the plan can be read and tested on its own.
import { join, resolve } from 'node:path';

/**
 * The processes of `npm start` and the URLs of its banner, from `env` (IDP_PORT, API_PORT,
 * SPA_PORT, GUILD_PORT, WARDEN_ISSUER, DRAGONS_APP_ORIGIN, DRAGONS_API_URL, DRAGONS_AUTH_MODE,
 * WARDEN_DEMO, WARDEN_DATA_DIR). Each process names its app (it runs `apps/<app>/dist/main.mjs`) and
 * the variables set on top of `env`; `stages` says the start order: the processes of a stage start
 * together once every process of the stage before listens. `keptSecret(dir, name)` returns the
 * secret kept in `dir/name` (made on first use). Throws an Error with a message for a bad
 * DRAGONS_AUTH_MODE; checks nothing else (each app checks its own variables).
 */
export function planStart(env, { root, keptSecret }) {
  const idpPort = env.IDP_PORT ?? '3000';
  const apiPort = env.API_PORT ?? '3001';
  const spaPort = env.SPA_PORT ?? '4200';
  const guildPort = env.GUILD_PORT ?? '3002';
  const issuer = env.WARDEN_ISSUER ?? `http://localhost:${idpPort}/`;
  const appOrigin = env.DRAGONS_APP_ORIGIN ?? `http://localhost:${spaPort}`;
  const apiUrl = env.DRAGONS_API_URL ?? `http://localhost:${apiPort}/api/`;
  const mode = readAuthMode(env.DRAGONS_AUTH_MODE);
  const demo = !/^(0|false|no|off)$/i.test(env.WARDEN_DEMO ?? '');
  // 127.0.0.1, not localhost: browsers keep cookies per host, not per port, so two Warden idps on
  // one host would overwrite each other's session cookie.
  const guildIssuer = `http://127.0.0.1:${guildPort}/`;
  const dataDir = resolve(root, env.WARDEN_DATA_DIR || 'data');
  const processes = {
    idp: { app: 'idp', env: { PORT: idpPort, WARDEN_ISSUER: issuer, DRAGONS_APP_ORIGIN: appOrigin } },
    'dragons-api': {
      app: 'dragons-api',
      env: { PORT: apiPort, WARDEN_ISSUER: issuer, DRAGONS_APP_ORIGIN: appOrigin },
    },
    'dragons-spa': {
      app: 'dragons-spa',
      env: {
        PORT: spaPort,
        WARDEN_ISSUER: issuer,
        DRAGONS_API_URL: apiUrl,
        DRAGONS_APP_ORIGIN: appOrigin,
        DRAGONS_AUTH_MODE: mode,
      },
    },
  };
  if (mode === 'cookie') {
    // Both secrets are made once and kept next to the idp's database, so sessions and the
    // registered client survive a restart; the idp registers dragons-web with the first (the demo
    // only creates what is missing).
    const clientSecret = keptSecret(dataDir, 'dragons-bff-client-secret');
    Object.assign(processes.idp.env, { DRAGONS_BFF_CLIENT_SECRET: clientSecret });
    Object.assign(processes['dragons-spa'].env, {
      WARDEN_DATA_DIR: dataDir,
      DRAGONS_BFF_CLIENT_SECRET: clientSecret,
      DRAGONS_BFF_SECRET: keptSecret(dataDir, 'dragons-bff-secret'),
    });
  }
  if (demo) {
    // The guild is the same idp with its own port, issuer, data and SQLite, whatever ours are. The
    // secret of the idp's client there is made once and kept with the idp's database, which keeps
    // it sealed in the connection; the guild registers the client with it.
    const clientSecret = keptSecret(dataDir, 'dragons-guild-client-secret');
    processes.guild = {
      app: 'idp',
      env: {
        PORT: guildPort,
        HOST: '127.0.0.1',
        WARDEN_ISSUER: guildIssuer,
        WARDEN_DATA_DIR: join(dataDir, 'guild'),
        WARDEN_DEMO: 'guild',
        DRAGONS_GUILD_CALLBACK: `${issuer}login/callback`,
        DRAGONS_GUILD_CLIENT_SECRET: clientSecret,
        DATABASE_URL: '',
        REDIS_URL: '',
        WARDEN_SECRET: '',
        WARDEN_CONFIG: '',
        DRAGONS_BFF_CLIENT_SECRET: '',
      },
    };
    Object.assign(processes.idp.env, {
      DRAGONS_GUILD_ISSUER: guildIssuer,
      DRAGONS_GUILD_CLIENT_SECRET: clientSecret,
      // The guild is plain http on this machine: the idp may sign in there.
      WARDEN_ALLOW_INSECURE_UPSTREAMS: 'true',
    });
  }
  return {
    mode,
    demo,
    dataDir,
    urls: { issuer, appOrigin, apiUrl, guildIssuer: demo ? guildIssuer : undefined },
    processes,
    // The idp discovers the guild when it registers the connection: the guild listens first.
    stages: [...(demo ? [['guild']] : []), ['idp'], ['dragons-api', 'dragons-spa']],
  };
}

/** `token` (default) or `cookie`. */
function readAuthMode(value) {
  if (value === undefined || value === '' || value === 'token') return 'token';
  if (value === 'cookie') return 'cookie';
  throw new Error(`DRAGONS_AUTH_MODE must be "token" (the default) or "cookie", got "${value}"`);
}
