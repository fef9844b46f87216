import { describe, expect, it } from 'vitest';
import { signInWithCode, useTestServer } from './harness.js';
import { exchangeCode } from './token-helpers.js';

describe('codes issued before a revocation', () => {
  const t = useTestServer();

  it('cannot be exchanged after `warden users revoke`', async () => {
    const flow = await signInWithCode(t());
    await t().admin.revokeUser('user@example.com');
    const response = await exchangeCode(t(), flow);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('cannot be exchanged after `warden keys revoke-all`', async () => {
    const flow = await signInWithCode(t());
    await t().admin.revokeAllKeys();
    const response = await exchangeCode(t(), flow);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code issued after the revocation still works', async () => {
    await t().admin.revokeUser('user@example.com');
    t().advance(2);
    const flow = await signInWithCode(t());
    expect((await exchangeCode(t(), flow)).status).toBe(200);
  });
});
