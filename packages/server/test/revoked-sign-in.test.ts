import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInWithCode, spaCallback, startTestServer, type TestServer, tokenRequest } from './harness.js';

describe('codes issued before a revocation', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(() => t.close());

  const exchange = (code: string, verifier: string) =>
    tokenRequest(t, {
      grant_type: 'authorization_code',
      client_id: t.spa,
      code,
      redirect_uri: spaCallback,
      code_verifier: verifier,
    });

  it('cannot be exchanged after `warden users revoke`', async () => {
    const { code, verifier } = await signInWithCode(t);
    await t.admin.revokeUser('user@example.com');
    const response = await exchange(code, verifier);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('cannot be exchanged after `warden keys revoke-all`', async () => {
    const { code, verifier } = await signInWithCode(t);
    await t.admin.revokeAllKeys();
    const response = await exchange(code, verifier);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code issued after the revocation still works', async () => {
    await t.admin.revokeUser('user@example.com');
    t.advance(2);
    const { code, verifier } = await signInWithCode(t);
    expect((await exchange(code, verifier)).status).toBe(200);
  });
});
