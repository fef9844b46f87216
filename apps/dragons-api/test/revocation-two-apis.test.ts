import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiId } from '../../../packages/server/test/harness.js';
import {
  type HttpTestServer,
  machineAccessToken,
  startHttpTestServer,
  userAccessToken,
} from '../../../packages/server/test/http-test-server.js';
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js';

/** Waits until the API's revocation view is connected and current (its `/health`). */
async function untilFollowing(api: ApiProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const health = (await (await fetch(`${api.base}/health`)).json()) as {
      revocation: { connected: boolean; staleness: number | null } | null;
    };
    if (health.revocation?.connected && health.revocation.staleness === 0) return;
    if (Date.now() > deadline) throw new Error(`not following the feed: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function dragons(api: ApiProcess, token: string): Promise<Response> {
  return fetch(`${api.base}/api/dragons`, { headers: { authorization: `Bearer ${token}` } });
}

describe('revocation reaches every running API (two API processes)', () => {
  let idp: HttpTestServer;
  let apis: ApiProcess[] = [];

  beforeAll(async () => {
    idp = await startHttpTestServer();
    apis = await Promise.all([spawnApi(idp.issuer), spawnApi(idp.issuer)]);
    await Promise.all(apis.map(untilFollowing));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apis.map(stopApi));
    await idp?.close();
  });

  /**
   * Checks both APIs accept `token`, runs `revoke`, then asks both every 50 ms until each answers
   * 401, with a generous deadline: what is checked is that the revocation arrives, not how fast
   * (`npm run bench:revocation` measures that). Until then each answers 200, never an error.
   */
  async function refusedByBoth(token: string, revoke: () => Promise<unknown>): Promise<void> {
    for (const api of apis) expect((await dragons(api, token)).status).toBe(200);
    await revoke();
    await Promise.all(
      apis.map(async (api) => {
        const deadline = Date.now() + 15_000;
        for (;;) {
          const response = await dragons(api, token);
          if (response.status === 401) {
            expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
            return;
          }
          expect(response.status).toBe(200);
          if (Date.now() > deadline) throw new Error(`${api.base} still accepts the revoked token`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
  }

  it('/oauth/revoke of an access token', async () => {
    const token = await userAccessToken(idp.t, 'user@example.com');
    const other = await userAccessToken(idp.t, 'user@example.com');
    await refusedByBoth(token, () =>
      idp.t.request('/oauth/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: idp.t.spa }).toString(),
      }),
    );
    // Only that token: another of the same user still works.
    for (const api of apis) expect((await dragons(api, other)).status).toBe(200);
  });

  it('warden users revoke <user> (admin.revokeUser)', async () => {
    const token = await userAccessToken(idp.t, 'admin@example.com');
    const bystander = await userAccessToken(idp.t, 'user@example.com');
    await refusedByBoth(token, () => idp.t.admin.revokeUser('admin@example.com'));
    for (const api of apis) expect((await dragons(api, bystander)).status).toBe(200);
  });

  it('warden keys revoke-all (admin.revokeAllKeys)', async () => {
    const user = await userAccessToken(idp.t, 'user@example.com');
    const machine = await machineAccessToken(idp.t, apiId);
    for (const api of apis) expect((await dragons(api, user)).status).toBe(200);
    await refusedByBoth(machine, () => idp.t.admin.revokeAllKeys());
    for (const api of apis) expect((await dragons(api, user)).status).toBe(401);
    // The feed's key revocations make each API fetch the issuer's new keys at once, without
    // waiting for its JWKS refetch cooldown: a token signed with a new key works straight away.
    const fresh = await machineAccessToken(idp.t, apiId);
    for (const api of apis) expect((await dragons(api, fresh)).status).toBe(200);
  }, 45_000);
});
