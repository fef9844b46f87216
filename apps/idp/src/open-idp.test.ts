import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readIdpEnv } from './idp-env.js';
import { openIdp } from './open-idp.js';

describe('openIdp', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the server the management API's rate limit from the environment, the default for what is unset", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'warden-open-idp-'));
    dirs.push(dataDir);
    const open = async (env: Record<string, string>) => {
      const idp = await openIdp(readIdpEnv({ WARDEN_DATA_DIR: dataDir, WARDEN_DEMO: 'false', ...env }));
      const settings = idp.server.context.config.managementRateLimit;
      await idp.close();
      return settings;
    };
    expect(await open({ WARDEN_MANAGEMENT_RATE_LIMIT: '7' })).toEqual({ limit: 7, window: 10 });
    expect(await open({ WARDEN_MANAGEMENT_RATE_WINDOW: '60' })).toEqual({ limit: 100, window: 60 });
  });
});
