import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { tokenRequest, useTestServer } from './harness.js';
import {
  exchangeWebCode,
  expectOAuthError,
  refreshAsSpa,
  refreshAsWeb,
  signInWeb,
  spaTokens,
  type TokenBody,
  userinfo,
} from './token-helpers.js';

describe('refresh tokens', () => {
  const t = useTestServer();

  async function refreshOk(token: string, extra: Record<string, string> = {}): Promise<TokenBody> {
    const response = await refreshAsSpa(t(), token, extra);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return (await response.json()) as TokenBody;
  }

  it('rotates: every refresh returns a new refresh token and spends the old one', async () => {
    const { body } = await spaTokens(t());
    t().advance(5);
    const second = await refreshOk(body.refresh_token!);
    expect(second.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.refresh_token).not.toBe(body.refresh_token);
    expect(second.access_token).not.toBe(body.access_token);
    t().advance(5);
    const third = await refreshOk(second.refresh_token!);
    expect(new Set([body.refresh_token, second.refresh_token, third.refresh_token]).size).toBe(3);

    const access = decodeJwt(third.access_token).payload;
    expect(access).toMatchObject({ sub: t().userId, client_id: t().spa });
    expect(Number(access.iat)).toBe(Math.floor(t().server.context.config.clock() / 1000));
    expect((await userinfo(t(), third.access_token)).status).toBe(200);
    const id = decodeJwt(third.id_token!).payload;
    expect(id).toMatchObject({ sub: t().userId, aud: t().spa });
    expect(id).not.toHaveProperty('nonce');
  });

  it('refuses a spent token after the grace window and revokes the whole family', async () => {
    const { body } = await spaTokens(t());
    const second = await refreshOk(body.refresh_token!);
    t().advance(11);
    await expectOAuthError(await refreshAsSpa(t(), body.refresh_token!), 'invalid_grant');
    await expectOAuthError(await refreshAsSpa(t(), second.refresh_token!), 'invalid_grant');
  });

  it('answers an identical retry inside the grace window with the same response', async () => {
    const { body } = await spaTokens(t());
    const firstResponse = await refreshAsSpa(t(), body.refresh_token!);
    expect(firstResponse.status).toBe(200);
    const firstText = await firstResponse.text();
    t().advance(10);
    const retry = await refreshAsSpa(t(), body.refresh_token!);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('cache-control')).toBe('no-store');
    const retryBody = (await retry.json()) as TokenBody;
    const first = JSON.parse(firstText) as TokenBody;
    expect(retryBody.access_token).toBe(first.access_token);
    expect(retryBody.refresh_token).toBe(first.refresh_token);
    expect(retryBody).toEqual(first);
    // The family lives on: the successor works.
    const next = await refreshOk(first.refresh_token!);
    expect(next.refresh_token).not.toBe(first.refresh_token);
  });

  it('revokes the family on a retry after the successor was used', async () => {
    const { body } = await spaTokens(t());
    const second = await refreshOk(body.refresh_token!);
    const third = await refreshOk(second.refresh_token!);
    await expectOAuthError(await refreshAsSpa(t(), body.refresh_token!), 'invalid_grant');
    await expectOAuthError(await refreshAsSpa(t(), third.refresh_token!), 'invalid_grant');
  });

  it('refuses access tokens of the session once a spent refresh token is replayed', async () => {
    const { body } = await spaTokens(t());
    const second = await refreshOk(body.refresh_token!);
    t().advance(11);
    await expectOAuthError(await refreshAsSpa(t(), body.refresh_token!), 'invalid_grant');
    expect((await userinfo(t(), second.access_token)).status).toBe(401);
  });

  it('allows narrowing the scope on refresh, and keeps the grant for the next refresh', async () => {
    const { body } = await spaTokens(t());
    const narrow = await refreshOk(body.refresh_token!, { scope: 'openid read:dragons' });
    expect(narrow.scope).toBe('openid read:dragons');
    expect(decodeJwt(narrow.access_token).payload.scope).toBe('openid read:dragons');
    const idClaims = decodeJwt(narrow.id_token!).payload;
    expect(idClaims).not.toHaveProperty('email');
    expect(idClaims).not.toHaveProperty('name');
    const full = await refreshOk(narrow.refresh_token!);
    expect(full.scope.split(' ').sort()).toEqual(body.scope.split(' ').sort());
  });

  it('refuses widening the scope with invalid_scope, without spending the token', async () => {
    const { body } = await spaTokens(t(), { scope: 'openid offline_access read:dragons' });
    await expectOAuthError(
      await refreshAsSpa(t(), body.refresh_token!, { scope: 'openid email' }),
      'invalid_scope',
    );
    await expectOAuthError(
      await refreshAsSpa(t(), body.refresh_token!, { scope: 'openid read:orders' }),
      'invalid_scope',
    );
    await refreshOk(body.refresh_token!);
  });

  it("refuses another client's refresh token", async () => {
    const { body } = await spaTokens(t());
    const stolen = await refreshAsWeb(t(), body.refresh_token!);
    await expectOAuthError(stolen, 'invalid_grant');
    await refreshOk(body.refresh_token!);
  });

  it('refuses a family older than 30 days, however recently it rotated', async () => {
    const { body } = await spaTokens(t());
    t().advance(29 * 24 * 3600);
    const late = await refreshOk(body.refresh_token!);
    t().advance(24 * 3600);
    await expectOAuthError(await refreshAsSpa(t(), late.refresh_token!), 'invalid_grant');
  });

  it('refuses an unknown refresh token', async () => {
    await expectOAuthError(await refreshAsSpa(t(), 'x'.repeat(43)), 'invalid_grant');
    await expectOAuthError(
      await tokenRequest(t(), { grant_type: 'refresh_token', client_id: t().spa }),
      'invalid_request',
    );
  });

  it('issues refresh tokens only when offline_access was granted', async () => {
    const { body } = await spaTokens(t(), { scope: 'openid profile read:dragons' });
    expect(body.refresh_token).toBeUndefined();
  });

  it('rotates for the confidential web client too', async () => {
    const exchanged = await exchangeWebCode(t(), await signInWeb(t()));
    const body = (await exchanged.json()) as TokenBody;
    const refreshed = await refreshAsWeb(t(), body.refresh_token!);
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as TokenBody;
    expect(next.refresh_token).not.toBe(body.refresh_token);
    const asSpa = await refreshAsSpa(t(), next.refresh_token!);
    await expectOAuthError(asSpa, 'invalid_grant');
  });

  it('answers 10 concurrent refreshes with one token with one successor, and keeps the family', async () => {
    const { body } = await spaTokens(t());
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => refreshAsSpa(t(), body.refresh_token!)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses).toEqual(Array(10).fill(200));
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as TokenBody[];
    const successors = new Set(bodies.map((b) => b.refresh_token));
    const accessTokens = new Set(bodies.map((b) => b.access_token));
    expect(successors.size).toBe(1);
    expect(accessTokens.size).toBe(1);
    const [successor] = successors;
    // Whoever got the answer can go on: the family was not revoked.
    const next = await refreshOk(successor!);
    expect((await userinfo(t(), next.access_token)).status).toBe(200);
    expect((await userinfo(t(), bodies[0]!.access_token)).status).toBe(200);
  });
});
