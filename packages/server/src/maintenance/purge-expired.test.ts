import { describe, expect, it } from 'vitest';
import { signInWithCode, useTestServer } from '../../test/harness.js';
import { exchangeCode } from '../../test/token-helpers.js';
import { hashToken } from '../tokens/hash-token.js';
import { purgeExpired } from './purge-expired.js';

describe('purgeExpired', () => {
  const t = useTestServer();

  it('forgets expired codes and refresh tokens but keeps live ones', async () => {
    const first = await signInWithCode(t());
    const { code: live } = await signInWithCode(t(), { browser: first.browser });
    const response = await exchangeCode(t(), first);
    const { refresh_token } = (await response.json()) as { refresh_token: string };
    const storage = t().server.context.storage;
    await purgeExpired(t().server.context);
    expect(await storage.codes.get(hashToken(live))).toBeDefined();
    expect(await storage.refreshTokens.get(hashToken(refresh_token))).toBeDefined();
    t().advance(31 * 24 * 3600);
    await purgeExpired(t().server.context);
    expect(await storage.codes.get(hashToken(live))).toBeUndefined();
    expect(await storage.refreshTokens.get(hashToken(refresh_token))).toBeUndefined();
  });
});
