import { randomBytes } from 'node:crypto';
import { freePort } from '../../../packages/server/test/free-port.js';

import { planStart } from '../../../scripts/start-plan.mjs';
import { root, type SpawnedIdp, spawnIdp } from './spawn-idp.js';

export interface DemoIdps {
  guild: SpawnedIdp;
  idp: SpawnedIdp;
  /** The idp's variables as `npm start` sets them (for the CLI, which must read the same database). */
  idpEnv: Record<string, string>;
  issuer: string;
  guildIssuer: string;
  stop(): Promise<void>;
}

/**
 * The demo's two identity providers as `npm start` runs them (the variables of
 * scripts/start-plan.mjs, on free ports, data in `dataDir`, embedded SQLite): the Dragon Riders
 * Guild first, then the idp, which registers it as the connection `guild`. The Dragons API and app
 * are not started.
 */
export async function startDemoIdps(dataDir: string, env: Record<string, string> = {}): Promise<DemoIdps> {
  const secrets = new Map<string, string>();
  const plan = planStart(
    {
      IDP_PORT: String(await freePort()),
      GUILD_PORT: String(await freePort()),
      WARDEN_DATA_DIR: dataDir,
      ...env,
    },
    {
      root,
      keptSecret: (dir, name) => {
        const key = `${dir}/${name}`;
        if (!secrets.has(key)) secrets.set(key, randomBytes(32).toString('base64url'));
        return secrets.get(key) as string;
      },
    },
  );
  const surrounding = { DATABASE_URL: '', REDIS_URL: '', WARDEN_SECRET: '', WARDEN_CONFIG: '', ...env };
  const guildEnv = plan.processes.guild?.env;
  if (!guildEnv || !plan.urls.guildIssuer) throw new Error('the plan has no guild');
  const guild = await spawnIdp({ ...surrounding, ...guildEnv });
  const idpEnv = { ...surrounding, ...plan.processes.idp!.env, WARDEN_DATA_DIR: plan.dataDir };
  let idp: SpawnedIdp;
  try {
    idp = await spawnIdp(idpEnv);
  } catch (error) {
    await guild.stop();
    throw error;
  }
  return {
    guild,
    idp,
    idpEnv,
    issuer: plan.urls.issuer,
    guildIssuer: plan.urls.guildIssuer,
    async stop() {
      await Promise.all([idp.stop(), guild.stop()]);
    },
  };
}
