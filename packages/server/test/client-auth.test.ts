import { createHash } from 'node:crypto';
import { decodeJwt } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { basic, signInWithCode, tokenRequest, useTestServer } from './harness.js';
import {
  exchangeCode,
  exchangeWebCode,
  expectOAuthError,
  signInWeb,
  type TokenBody,
  webBasic,
} from './token-helpers.js';

describe('client authentication at the token endpoint', () => {
  const t = useTestServer();

  /** The web client's exchange of a new code, with `fields` added and only the given `headers`. */
  async function webExchange(fields: Record<string, string>, headers: Record<string, string> = {}) {
    return exchangeWebCode(t(), await signInWeb(t()), fields, headers);
  }

  async function expectWebTokens(response: Response): Promise<void> {
    expect(response.status).toBe(200);
    const body = (await response.json()) as TokenBody;
    expect(decodeJwt(body.access_token).payload.client_id).toBe(t().web.client_id);
  }

  it('accepts client_secret_basic', async () => {
    await expectWebTokens(await webExchange({}, { authorization: webBasic(t()) }));
  });

  it('accepts client_secret_basic with the client_id repeated in the body', async () => {
    await expectWebTokens(
      await webExchange({ client_id: t().web.client_id }, { authorization: webBasic(t()) }),
    );
  });

  it('accepts client_secret_post', async () => {
    await expectWebTokens(
      await webExchange({ client_id: t().web.client_id, client_secret: t().web.client_secret }),
    );
  });

  it('refuses a wrong secret with 401 invalid_client and WWW-Authenticate: Basic', async () => {
    const response = await webExchange({}, { authorization: basic(t().web.client_id, 'wrong-secret') });
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic\b/);
    await expectOAuthError(response, 'invalid_client', 401);
  });

  it('refuses a wrong secret sent in the body', async () => {
    const response = await webExchange({ client_id: t().web.client_id, client_secret: 'wrong-secret' });
    await expectOAuthError(response, 'invalid_client', 401);
  });

  it('does not burn the code when client authentication fails', async () => {
    const flow = await signInWeb(t());
    const wrong = await exchangeWebCode(t(), flow, {}, { authorization: basic(t().web.client_id, 'wrong') });
    await expectOAuthError(wrong, 'invalid_client', 401);
    await expectWebTokens(await exchangeWebCode(t(), flow, {}, { authorization: webBasic(t()) }));
  });

  it('refuses two authentication methods at once with invalid_request', async () => {
    const response = await webExchange(
      { client_id: t().web.client_id, client_secret: t().web.client_secret },
      { authorization: webBasic(t()) },
    );
    await expectOAuthError(response, 'invalid_request');
  });

  it('refuses Basic credentials for one client with another client_id in the body', async () => {
    const response = await webExchange({ client_id: t().spa }, { authorization: webBasic(t()) });
    await expectOAuthError(response, 'invalid_client', 401);
  });

  it('refuses a public client that sends a secret', async () => {
    const flow = await signInWithCode(t());
    await expectOAuthError(
      await exchangeCode(t(), flow, { client_secret: 'anything' }),
      'invalid_client',
      401,
    );
    await expectOAuthError(
      await exchangeCode(t(), flow, { client_id: undefined }, { authorization: basic(t().spa, 'anything') }),
      'invalid_client',
      401,
    );
  });

  it('refuses a confidential client without its secret', async () => {
    await expectOAuthError(await webExchange({ client_id: t().web.client_id }), 'invalid_client', 401);
  });

  it('refuses an unknown client, by Basic, by post, or by client_id alone', async () => {
    const fields = { grant_type: 'refresh_token', refresh_token: 'x' };
    await expectOAuthError(
      await tokenRequest(t(), fields, { authorization: basic('nobody', 'secret') }),
      'invalid_client',
      401,
    );
    await expectOAuthError(
      await tokenRequest(t(), { ...fields, client_id: 'nobody', client_secret: 'secret' }),
      'invalid_client',
      401,
    );
    await expectOAuthError(
      await tokenRequest(t(), { ...fields, client_id: 'nobody' }),
      'invalid_client',
      401,
    );
    await expectOAuthError(await tokenRequest(t(), fields), 'invalid_client', 401);
  });

  it('refuses a malformed Basic header with invalid_client', async () => {
    const response = await tokenRequest(
      t(),
      { grant_type: 'refresh_token', refresh_token: 'x' },
      { authorization: 'Basic !!!' },
    );
    await expectOAuthError(response, 'invalid_client', 401);
  });

  it('decodes form-encoded Basic credentials (RFC 6749 §2.3.1)', async () => {
    const secret = t().web.client_secret;
    const firstEscaped = `%${secret.charCodeAt(0).toString(16).toUpperCase()}${secret.slice(1)}`;
    const encoded = `Basic ${Buffer.from(`${t().web.client_id}:${firstEscaped}`).toString('base64')}`;
    await expectWebTokens(await webExchange({}, { authorization: encoded }));
  });

  it('stores client secrets only as SHA-256 hashes', async () => {
    const storage = t().server.context.storage;
    for (const { client_id, client_secret } of [t().web, t().m2m]) {
      const row = await storage.clients.get(client_id);
      expect(row?.secretHash).toBe(createHash('sha256').update(client_secret).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(client_secret);
    }
    const everything = JSON.stringify(await storage.clients.list());
    expect(everything).not.toContain(t().web.client_secret);
    expect(everything).not.toContain(t().m2m.client_secret);
    expect((await storage.clients.get(t().spa))?.secretHash).toBeNull();
  });
});
