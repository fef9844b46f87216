import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { expectManagementError, storages, useManagementWorld } from './management-world.js';

interface SigningKey {
  kid: string;
  alg: string;
  current: boolean;
  next: boolean;
  previous: boolean;
  revoked: boolean;
  current_since?: string;
  current_until?: string;
  revoked_at?: string;
}

/** Calls `check` until it returns true, for up to 10 s of real time (the revocation feed is pushed). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(storages())('signing keys on $name', ({ databaseUrl, skip }) => {
  describe.skipIf(skip)('', () => {
    const w = useManagementWorld({ databaseUrl });

    /** Every key, read with a token signed by the current key (an earlier one may be revoked). */
    async function keys(): Promise<SigningKey[]> {
      return (await (
        await w().call('GET', '/keys/signing', { token: await w().token() })
      ).json()) as SigningKey[];
    }

    it('lists the current and next key, and gets one by kid', async () => {
      const list = await keys();
      const current = list.find((key) => key.current)!;
      const next = list.find((key) => key.next)!;
      expect(current).toEqual({
        kid: expect.any(String),
        alg: 'RS256',
        current: true,
        next: false,
        previous: false,
        revoked: false,
        current_since: new Date(Math.floor(w().t.clock() / 1000) * 1000).toISOString(),
      });
      expect(next).toMatchObject({ alg: 'RS256', current: false, next: true });
      expect(next).not.toHaveProperty('current_since');
      expect(await (await w().call('GET', `/keys/signing/${current.kid}`)).json()).toEqual(current);
      await expectManagementError(await w().call('GET', '/keys/signing/nope'), 404, 'inexistent_signing_key');
    });

    it('rotates: the next key becomes current, the current one previous, and a new next key is published', async () => {
      const before = await keys();
      const response = await w().call('POST', '/keys/signing/rotate');
      expect(response.status).toBe(201);
      const { kid } = (await response.json()) as { kid: string };
      expect(kid).toBe(before.find((key) => key.next && key.alg === 'RS256')!.kid);
      const after = await keys();
      const previous = before.find((key) => key.current && key.alg === 'RS256')!.kid;
      expect(after.find((key) => key.kid === previous)).toMatchObject({ previous: true, current: false });
      expect(after.find((key) => key.kid === kid)).toMatchObject({ current: true });
      expect(after.filter((key) => key.next && key.alg === 'RS256')).toHaveLength(1);
      const token = await w().token();
      expect(decodeJwt(token).header.kid).toBe(kid);
    });

    it('revokes a previous key: APIs refuse the tokens it signed, through the revocation feed', async () => {
      const oldToken = await w().token();
      const oldKid = decodeJwt(oldToken).header.kid as string;
      expect((await w().call('GET', '/clients', { token: oldToken })).status).toBe(200);
      await w().call('POST', '/keys/signing/rotate', { token: oldToken });
      expect((await w().call('GET', '/clients', { token: oldToken })).status).toBe(200);

      const response = await w().call('PUT', `/keys/signing/${oldKid}/revoke`, { token: await w().token() });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ kid: oldKid });
      expect((await keys()).find((key) => key.kid === oldKid)).toMatchObject({
        revoked: true,
        previous: false,
        revoked_at: expect.any(String),
      });
      const jwks = (await (await w().t.request('/.well-known/jwks.json')).json()) as {
        keys: { kid: string }[];
      };
      expect(jwks.keys.map((key) => key.kid)).not.toContain(oldKid);
      await eventually(async () => (await w().call('GET', '/clients', { token: oldToken })).status === 401);
      // Again: nothing changes.
      const again = await w().call('PUT', `/keys/signing/${oldKid}/revoke`, { token: await w().token() });
      expect(again.status).toBe(200);
    });

    it('refuses to revoke the current key, and an unknown one', async () => {
      const current = (await keys()).find((key) => key.current)!;
      const response = await w().call('PUT', `/keys/signing/${current.kid}/revoke`);
      expect(await expectManagementError(response, 400, 'invalid_body')).toMatch(
        /current RS256 key: rotate the keys first/,
      );
      await expectManagementError(
        await w().call('PUT', '/keys/signing/nope/revoke'),
        404,
        'inexistent_signing_key',
      );
    });

    it('revokes a next key and publishes a new one', async () => {
      const next = (await keys()).find((key) => key.next)!;
      expect((await w().call('PUT', `/keys/signing/${next.kid}/revoke`)).status).toBe(200);
      const after = await keys();
      expect(after.find((key) => key.kid === next.kid)).toMatchObject({ revoked: true });
      expect(after.filter((key) => key.next)).toHaveLength(1);
    });
  });
});
