import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import { expressjwt as jwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpTestServer,
  machineAccessToken,
  startHttpTestServer,
  userAccessToken,
} from '../../../server/test/http-test-server.js';

/**
 * The article's API server, as written there (express + express-jwt + jwks-rsa), with only the
 * issuer changed from Auth0 to Warden: it must accept Warden's access tokens unchanged.
 *
 * Real time here, not the test epoch: express-jwt checks `exp` and `nbf` against the real clock and
 * takes no clock of ours, so Warden runs on the real clock too (`startHttpTestServer`'s default).
 */
function articleServer(issuer: string) {
  const app = express();
  const jwtCheck = jwt({
    secret: jwksRsa.expressJwtSecret({
      cache: true,
      rateLimit: true,
      jwksRequestsPerMinute: 5,
      jwksUri: `${issuer}.well-known/jwks.json`,
    }),
    audience: 'http://localhost:3001/api/',
    issuer,
    algorithms: ['RS256'],
  });
  app.get('/api/dragons', jwtCheck, (_req, res) => {
    res.json([{ name: 'Smaug' }]);
  });
  const unauthorized: ErrorRequestHandler = (error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ name: error.name, code: error.code, message: error.message });
  };
  app.use(unauthorized);
  return app;
}

function reencode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

function decode(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>;
}

describe("the article's express-jwt + jwks-rsa server with Warden as the issuer", () => {
  let warden: HttpTestServer;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    warden = await startHttpTestServer();
    server = createServer(articleServer(warden.issuer));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await warden.close();
  });

  const dragons = (token?: string) =>
    fetch(`${base}/api/dragons`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it("accepts a user's and a machine's access tokens as Warden issues them", async () => {
    const user = await userAccessToken(warden.t);
    expect(decode(user.split('.')[0]!)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    for (const token of [user, await machineAccessToken(warden.t)]) {
      const response = await dragons(token);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([{ name: 'Smaug' }]);
    }
  });

  it('refuses a tampered token: claims changed, signature changed, or alg switched to none', async () => {
    const token = await userAccessToken(warden.t);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const moreRoles = reencode({ ...decode(payload), roles: ['admin'] });
    // A character in the middle: every bit of it is signature (the last one may hold padding bits only).
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const tampered = [
      `${header}.${moreRoles}.${signature}`,
      `${header}.${payload}.${flipped}`,
      `${reencode({ ...decode(header), alg: 'none' })}.${payload}.`,
      `${reencode({ ...decode(header), alg: 'HS256' })}.${payload}.${signature}`,
    ];
    for (const forged of tampered) {
      const response = await dragons(forged);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { name: string }).name).toBe('UnauthorizedError');
    }
    expect((await dragons(token)).status).toBe(200);
  });

  it('refuses an expired token', async () => {
    warden.shift(-15 * 60);
    const expired = await machineAccessToken(warden.t);
    warden.shift(0);
    expect(decode(expired.split('.')[1]!).exp).toBeLessThan(Date.now() / 1000);
    const response = await dragons(expired);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'invalid_token', message: 'jwt expired' });
  });

  it('refuses a request without a token', async () => {
    const response = await dragons();
    expect(response.status).toBe(401);
    expect(((await response.json()) as { code: string }).code).toBe('credentials_required');
  });
});
