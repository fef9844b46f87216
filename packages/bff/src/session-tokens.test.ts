import { describe, expect, it } from 'vitest';
import { toStoredTokens } from './session-tokens.js';

const answer = (expiresIn: number) => ({
  access_token: 'at',
  token_type: 'Bearer',
  expires_in: expiresIn,
  id_token: 'it',
});

describe('toStoredTokens', () => {
  it('refreshes a ten-minute token a minute before it expires', () => {
    const tokens = toStoredTokens(answer(600), 1_000_000, 60);
    expect(tokens.expiresAt).toBe(1_600_000);
    expect(tokens.refreshAt).toBe(1_540_000);
  });

  it('refreshes a token that lives less than twice the skew half-way, not on every call', () => {
    const tokens = toStoredTokens(answer(20), 1_000_000, 60);
    expect(tokens.refreshAt).toBe(1_010_000);
  });

  it('keeps the refresh token and id_token a refresh answer leaves out', () => {
    const first = toStoredTokens({ ...answer(600), refresh_token: 'rt', scope: 'openid' }, 0, 60);
    const next = toStoredTokens(
      { access_token: 'at2', token_type: 'Bearer', expires_in: 600 },
      1000,
      60,
      first,
    );
    expect(next).toMatchObject({ accessToken: 'at2', refreshToken: 'rt', idToken: 'it', scope: 'openid' });
  });
});
