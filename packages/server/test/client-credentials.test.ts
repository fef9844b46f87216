import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { addM2mClient, apiId, basic, issuer, tokenRequest, useTestServer } from './harness.js';
import { clientCredentials, expectOAuthError, type TokenBody, verifyWithJwks } from './token-helpers.js';

describe('client credentials', () => {
  const t = useTestServer();

  it('gives the m2m client a token for its API, with no refresh or id token', async () => {
    const response = await clientCredentials(t(), { audience: apiId });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as TokenBody;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600, scope: 'read:dragons read:orders' });
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('id_token');
    const { header, payload } = await verifyWithJwks(t(), body.access_token, { typ: 'at+jwt' });
    expect(header.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: issuer,
      aud: apiId,
      sub: t().m2m.client_id,
      client_id: t().m2m.client_id,
      scope: 'read:dragons read:orders',
    });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(600);
    expect(payload.jti).toBeTypeOf('string');
    expect(payload).not.toHaveProperty('roles');
  });

  it('uses the only API of the client when none is named, and accepts resource too', async () => {
    const implicit = (await (await clientCredentials(t())).json()) as TokenBody;
    expect(decodeJwt(implicit.access_token).payload.aud).toBe(apiId);
    const byResource = (await (await clientCredentials(t(), { resource: apiId })).json()) as TokenBody;
    expect(decodeJwt(byResource.access_token).payload.aud).toBe(apiId);
  });

  it('accepts client_secret_post', async () => {
    const response = await tokenRequest(t(), {
      grant_type: 'client_credentials',
      client_id: t().m2m.client_id,
      client_secret: t().m2m.client_secret,
    });
    expect(response.status).toBe(200);
  });

  it('refuses an API the client is not authorized for with invalid_target', async () => {
    await t().admin.addApi({ identifier: 'https://other.example/', scopes: ['x'] });
    await expectOAuthError(
      await clientCredentials(t(), { audience: 'https://other.example/' }),
      'invalid_target',
    );
    await expectOAuthError(
      await clientCredentials(t(), { audience: 'https://unknown.example/' }),
      'invalid_target',
    );
    await expectOAuthError(
      await clientCredentials(t(), { audience: apiId, resource: 'https://other.example/' }),
      'invalid_target',
    );
  });

  it('refuses client_credentials for the SPA and the web client with unauthorized_client', async () => {
    await expectOAuthError(
      await tokenRequest(t(), { grant_type: 'client_credentials', client_id: t().spa, audience: apiId }),
      'unauthorized_client',
    );
    await expectOAuthError(
      await tokenRequest(
        t(),
        { grant_type: 'client_credentials', audience: apiId },
        { authorization: basic(t().web.client_id, t().web.client_secret) },
      ),
      'unauthorized_client',
    );
  });

  it('refuses user grants for the m2m client', async () => {
    await expectOAuthError(
      await clientCredentials(t(), { grant_type: 'refresh_token', refresh_token: 'x' }),
      'unauthorized_client',
    );
  });

  it('issues a subset of the API scopes when asked', async () => {
    const body = (await (
      await clientCredentials(t(), { audience: apiId, scope: 'read:dragons' })
    ).json()) as TokenBody;
    expect(body.scope).toBe('read:dragons');
    expect(decodeJwt(body.access_token).payload.scope).toBe('read:dragons');
  });

  it('refuses a scope the API does not define with invalid_scope', async () => {
    await expectOAuthError(
      await clientCredentials(t(), { audience: apiId, scope: 'read:dragons write:dragons' }),
      'invalid_scope',
    );
    await expectOAuthError(
      await clientCredentials(t(), { audience: apiId, scope: 'openid' }),
      'invalid_scope',
    );
  });

  it('grants a client with a narrower grant only its scopes, and refuses the others with invalid_scope', async () => {
    await t().admin.addApi({ identifier: 'https://second.example/', scopes: ['x', 'read:dragons'] });
    const narrow = (await t().admin.addClient({
      type: 'm2m',
      name: 'Reader',
      apis: [apiId, 'https://second.example/'],
      scopes: ['read:dragons'],
    })) as { client_id: string; client_secret: string };
    const body = (await (await clientCredentials(t(), { audience: apiId }, narrow)).json()) as TokenBody;
    expect(body.scope).toBe('read:dragons');
    const second = (await (
      await clientCredentials(t(), { audience: 'https://second.example/' }, narrow)
    ).json()) as TokenBody;
    expect(second.scope).toBe('read:dragons');
    const refused = await clientCredentials(t(), { audience: apiId, scope: 'read:orders' }, narrow);
    expect(await refused.clone().json()).toMatchObject({
      error_description: expect.stringMatching(/not granted/),
    });
    await expectOAuthError(refused, 'invalid_scope');
    // A scope the API drops is no longer granted.
    await t().admin.updateApi(apiId, { scopes: ['read:orders'] });
    const after = (await (await clientCredentials(t(), { audience: apiId }, narrow)).json()) as TokenBody;
    expect(after.scope).toBe('');
    await expect(
      t().admin.addClient({ type: 'm2m', name: 'X', apis: [apiId], scopes: ['fly:dragons'] }),
    ).rejects.toThrow(/--scope fly:dragons is not a scope of/);
  });

  it('asks which API when the client has several and names none', async () => {
    await t().admin.addApi({ identifier: 'https://second.example/', scopes: ['x'] });
    const both = await addM2mClient(t(), 'Two', [apiId, 'https://second.example/']);
    await expectOAuthError(await clientCredentials(t(), {}, both), 'invalid_request');
    const second = (await (
      await clientCredentials(t(), { audience: 'https://second.example/' }, both)
    ).json()) as TokenBody;
    expect(decodeJwt(second.access_token).payload.aud).toBe('https://second.example/');
  });

  it('refuses two resources at once with invalid_target rather than picking one', async () => {
    await t().admin.addApi({ identifier: 'https://second.example/', scopes: ['x'] });
    const both = await addM2mClient(t(), 'Two', [apiId, 'https://second.example/']);
    const body = new URLSearchParams([
      ['grant_type', 'client_credentials'],
      ['resource', apiId],
      ['resource', 'https://second.example/'],
    ]);
    const response = await t().request('/oauth/token', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(both.client_id, both.client_secret),
      },
      body: body.toString(),
    });
    await expectOAuthError(response, 'invalid_target');
  });

  for (const alg of ['ES256', 'EdDSA', 'PS256'] as const) {
    it(`signs with ${alg} for an API that asks for it, verifiable with the JWKS`, async () => {
      const identifier = `https://${alg.toLowerCase()}.example/`;
      await t().admin.addApi({ identifier, alg, scopes: ['read:things', 'write:things'] });
      const client = await addM2mClient(t(), `${alg} worker`, [identifier]);
      const response = await clientCredentials(t(), { audience: identifier, scope: 'read:things' }, client);
      expect(response.status).toBe(200);
      const body = (await response.json()) as TokenBody;
      const { header, payload, key } = await verifyWithJwks(t(), body.access_token, { typ: 'at+jwt' });
      expect(header.alg).toBe(alg);
      expect(key.kid).toBe(header.kid);
      expect(payload).toMatchObject({ aud: identifier, sub: client.client_id, scope: 'read:things' });

      const discovery = (await (await t().request('/.well-known/openid-configuration')).json()) as {
        access_token_signing_alg_values_supported: string[];
      };
      expect(discovery.access_token_signing_alg_values_supported).toContain(alg);
      // The Dragons API keeps RS256.
      const dragons = (await (await clientCredentials(t(), { audience: apiId })).json()) as TokenBody;
      expect(decodeJwt(dragons.access_token).header.alg).toBe('RS256');
    });
  }
});
