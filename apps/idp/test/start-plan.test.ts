import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planStart } from '../../../scripts/start-plan.mjs';
import { readIdpEnv } from '../src/idp-env.js';

const root = '/srv/warden';

/** The plan of `npm start` for `env`, with kept secrets named after their files. */
function plan(env: Record<string, string> = {}) {
  return planStart(env, { root, keptSecret: (dir, name) => `${name}-in-${dir}`.padEnd(43, '-') });
}

describe('npm start (scripts/start-plan.mjs)', () => {
  it('starts the guild first, then the idp that registers it, then the Dragons API and app', () => {
    const { stages, processes, urls } = plan();
    expect(stages).toEqual([['guild'], ['idp'], ['dragons-api', 'dragons-spa']]);
    expect(processes.guild?.app).toBe('idp');
    expect(urls.guildIssuer).toBe('http://127.0.0.1:3002/');
  });

  it('runs the guild as its own idp: its port, issuer, data and SQLite, with the client of the idp', () => {
    const { processes } = plan({ WARDEN_DATA_DIR: '/var/warden' });
    const guild = readIdpEnv({ ...processes.guild?.env });
    expect(guild).toMatchObject({
      port: 3002,
      host: '127.0.0.1',
      issuer: 'http://127.0.0.1:3002/',
      dataDir: join('/var/warden', 'guild'),
      databaseUrl: undefined,
      redisUrl: undefined,
      secret: undefined,
      configFile: undefined,
      demo: 'guild',
      dragonsGuild: {
        issuer: undefined,
        callback: 'http://localhost:3000/login/callback',
        clientSecret: expect.stringMatching(/^dragons-guild-client-secret-in-\/var\/warden/),
      },
    });
    // Whatever the surrounding environment says, the guild keeps to its own storage and registration.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'WARDEN_SECRET', 'WARDEN_CONFIG']) {
      expect(processes.guild?.env[name]).toBe('');
    }
  });

  it('has the idp register the guild with the same client secret, allowing its plain http', () => {
    const { processes } = plan();
    const idp = readIdpEnv({ ...processes.idp?.env });
    const guild = readIdpEnv({ ...processes.guild?.env });
    expect(idp.demo).toBe('dragons');
    expect(idp.allowInsecureUpstreams).toBe(true);
    expect(idp.dragonsGuild?.issuer).toBe('http://127.0.0.1:3002/');
    expect(idp.dragonsGuild?.clientSecret).toBe(guild.dragonsGuild?.clientSecret);
    expect(guild.dragonsGuild?.callback).toBe(`${idp.issuer}login/callback`);
  });

  it('follows the ports it is given (as the e2e suite gives them)', () => {
    const { processes, urls } = plan({ IDP_PORT: '3110', GUILD_PORT: '3112', DRAGONS_AUTH_MODE: 'cookie' });
    expect(urls.guildIssuer).toBe('http://127.0.0.1:3112/');
    expect(processes.guild?.env).toMatchObject({
      PORT: '3112',
      WARDEN_ISSUER: 'http://127.0.0.1:3112/',
      DRAGONS_GUILD_CALLBACK: 'http://localhost:3110/login/callback',
    });
    expect(processes.idp?.env).toMatchObject({
      DRAGONS_GUILD_ISSUER: 'http://127.0.0.1:3112/',
      DRAGONS_BFF_CLIENT_SECRET: expect.stringMatching(/^dragons-bff-client-secret/),
    });
  });

  it('runs no guild, and registers none, when WARDEN_DEMO=false', () => {
    const { stages, processes, urls } = plan({ WARDEN_DEMO: 'false' });
    expect(stages).toEqual([['idp'], ['dragons-api', 'dragons-spa']]);
    expect(processes.guild).toBeUndefined();
    expect(urls.guildIssuer).toBeUndefined();
    expect(readIdpEnv({ ...processes.idp?.env, WARDEN_DEMO: 'false' })).toMatchObject({
      demo: false,
      allowInsecureUpstreams: false,
      dragonsGuild: undefined,
    });
  });

  it('refuses an unknown Dragons app mode with a message', () => {
    expect(() => plan({ DRAGONS_AUTH_MODE: 'jwt' })).toThrow(/DRAGONS_AUTH_MODE must be "token"/);
  });
});
