import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { apiId, issuer, signInWithCode, useTestServer } from './harness.js';
import { exchangeCode } from './token-helpers.js';

describe('authorization code + PKCE for the SPA', () => {
  const t = useTestServer();

  it('signs in through the hosted page and exchanges the code for tokens', async () => {
    const { code, verifier, nonce } = await signInWithCode(t());
    const response = await exchangeCode(t(), { code, verifier });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, string>;
    expect(body.token_type).toBe('Bearer');
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const access = decodeJwt(body.access_token!);
    expect(access.header.typ).toBe('at+jwt');
    expect(access.payload).toMatchObject({
      iss: issuer,
      sub: t().userId,
      client_id: t().spa,
      roles: [],
      permissions: [],
    });
    expect(access.payload.aud).toEqual([apiId, `${issuer}userinfo`]);
    const id = decodeJwt(body.id_token!);
    expect(id.payload).toMatchObject({
      iss: issuer,
      sub: t().userId,
      aud: t().spa,
      nonce,
      name: 'Bilbo Baggins',
    });
    expect(id.payload.at_hash).toBeTypeOf('string');
  });
});
