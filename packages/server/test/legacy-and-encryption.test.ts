import {
  decodeJwt,
  decryptCompactJwe,
  generateEncryptionKey,
  importKeySet,
  verifyJwt,
} from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { addM2mClient, Browser, issuer, useTestServer } from './harness.js';
import { clientCredentials } from './token-helpers.js';

describe('per-API encrypted access tokens (signed, then encrypted)', () => {
  const t = useTestServer();

  for (const alg of ['RSA-OAEP-256', 'ECDH-ES'] as const) {
    it(`encrypts to the API's ${alg} key; only its private key reveals the signed token`, async () => {
      const key = await generateEncryptionKey(alg);
      await t().admin.addApi({
        identifier: 'https://vault.example/',
        scopes: ['read:gold'],
        encryption: { alg, publicJwk: key.publicJwk },
      });
      const client = await addM2mClient(t(), 'Vault job', ['https://vault.example/']);
      const response = await clientCredentials(t(), { audience: 'https://vault.example/' }, client);
      expect(response.status).toBe(200);
      const { access_token } = (await response.json()) as { access_token: string };
      expect(access_token.split('.')).toHaveLength(5);
      const header = JSON.parse(Buffer.from(access_token.split('.')[0]!, 'base64url').toString()) as Record<
        string,
        string
      >;
      expect(header).toMatchObject({ alg, enc: 'A256GCM', cty: 'JWT' });
      const keys = await importKeySet({ keys: [{ ...key.privateJwk, kid: key.kid, alg }] });
      const { plaintext } = await decryptCompactJwe(access_token, keys);
      const inner = new TextDecoder().decode(plaintext);
      const jwks = await importKeySet(await (await t().request('/.well-known/jwks.json')).json());
      const { payload } = await verifyJwt(inner, jwks, {
        typ: 'at+jwt',
        issuer,
        audience: 'https://vault.example/',
        currentTime: Math.floor(t().server.context.config.clock() / 1000),
      });
      expect(payload).toMatchObject({ sub: client.client_id, scope: 'read:gold' });
    });
  }

  it('keeps the claims unreadable to whoever only holds the token', async () => {
    const key = await generateEncryptionKey('RSA-OAEP-256');
    await t().admin.addApi({
      identifier: 'https://vault.example/',
      encryption: { alg: 'RSA-OAEP-256', publicJwk: key.publicJwk },
    });
    const client = await addM2mClient(t(), 'Vault job', ['https://vault.example/']);
    const response = await clientCredentials(t(), {}, client);
    const { access_token } = (await response.json()) as { access_token: string };
    expect(() => decodeJwt(access_token)).toThrow();
    expect(Buffer.from(access_token.split('.')[3]!, 'base64url').toString('latin1')).not.toContain(
      client.client_id,
    );
  });
});

describe("the article's implicit flow (legacy, off by default)", () => {
  const t = useTestServer();

  const implicitUrl = (clientId: string) =>
    `/authorize?${new URLSearchParams({
      response_type: 'token id_token',
      client_id: clientId,
      redirect_uri: 'http://localhost:4300/callback',
      scope: 'openid profile',
      audience: 'http://localhost:3001/api/',
      state: 'st4te-value-long-enough',
      nonce: 'n0nce-value-long-enough',
    })}`;

  it('returns tokens in the fragment for a client that turned it on by name', async () => {
    const legacy = await t().admin.addClient({
      type: 'spa',
      name: 'Old Dragons',
      callbacks: ['http://localhost:4300/callback'],
      legacyImplicit: true,
    });
    const browser = new Browser(t());
    const first = await browser.get(implicitUrl(legacy.client_id));
    const done = await browser.signIn(first.headers.get('location')!, 'user@example.com');
    const location = new URL(done.headers.get('location')!);
    expect(location.search).toBe('');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('token_type')).toBe('Bearer');
    expect(fragment.get('state')).toBe('st4te-value-long-enough');
    expect(fragment.get('iss')).toBe(issuer);
    expect(decodeJwt(fragment.get('id_token')!).payload).toMatchObject({
      nonce: 'n0nce-value-long-enough',
      aud: legacy.client_id,
    });
    expect(decodeJwt(fragment.get('access_token')!).header.typ).toBe('at+jwt');
  });

  it('is refused for a client that did not turn it on', async () => {
    const modern = await t().admin.addClient({
      type: 'spa',
      name: 'New Dragons',
      callbacks: ['http://localhost:4300/callback'],
    });
    const response = await new Browser(t()).get(implicitUrl(modern.client_id));
    const location = new URL(response.headers.get('location')!);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('error')).toBe('unauthorized_client');
    expect(fragment.get('access_token')).toBeNull();
  });
});
