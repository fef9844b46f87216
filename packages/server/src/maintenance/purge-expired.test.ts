import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  signInWithCode,
  spaCallback,
  startTestServer,
  type TestServer,
  tokenRequest,
} from '../../test/harness.js';
import { hashToken } from '../tokens/hash-token.js';
import { purgeExpired } from './purge-expired.js';

describe('purgeExpired', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(() => t.close());

  it('forgets expired codes and refresh tokens but keeps live ones', async () => {
    const first = await signInWithCode(t);
    const { code: live } = await signInWithCode(t, { browser: first.browser });
    const response = await tokenRequest(t, {
      grant_type: 'authorization_code',
      client_id: t.spa,
      code: first.code,
      redirect_uri: spaCallback,
      code_verifier: first.verifier,
    });
    const { refresh_token } = (await response.json()) as { refresh_token: string };
    const storage = t.server.context.storage;
    await purgeExpired(t.server.context);
    expect(await storage.codes.get(hashToken(live))).toBeDefined();
    expect(await storage.refreshTokens.get(hashToken(refresh_token))).toBeDefined();
    t.advance(31 * 24 * 3600);
    await purgeExpired(t.server.context);
    expect(await storage.codes.get(hashToken(live))).toBeUndefined();
    expect(await storage.refreshTokens.get(hashToken(refresh_token))).toBeUndefined();
  });
});
