import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiId, useTestServer } from './harness.js';
import { clientCredentials } from './token-helpers.js';

const server = useTestServer({ scope: 'all' });

describe('a confidential client registered with a given secret', () => {
  it('authenticates with that secret, and the secret is not echoed back', async () => {
    const t = server();
    const secret = randomBytes(32).toString('base64url');
    const created = await t.admin.addClient({ type: 'm2m', name: 'Given', apis: [apiId], secret });
    expect(created).toEqual({ client_id: created.client_id });
    const ok = await clientCredentials(
      t,
      { audience: apiId },
      { client_id: created.client_id, client_secret: secret },
    );
    expect(ok.status).toBe(200);
    const wrong = await clientCredentials(
      t,
      { audience: apiId },
      { client_id: created.client_id, client_secret: randomBytes(32).toString('base64url') },
    );
    expect(wrong.status).toBe(401);
  });

  it.each([
    ['too short', { type: 'm2m' as const, secret: 'short-secret' }, /43 to 512/],
    ['not URL-safe', { type: 'm2m' as const, secret: `${'a'.repeat(42)} ` }, /43 to 512/],
    [
      'for a public client',
      { type: 'spa' as const, secret: 'a'.repeat(43), callbacks: ['http://localhost:4200/cb'] },
      /public/,
    ],
  ])('is refused when the secret is %s', async (_name, input, message) => {
    await expect(server().admin.addClient({ name: 'Bad', apis: [], ...input })).rejects.toThrow(message);
  });
});
