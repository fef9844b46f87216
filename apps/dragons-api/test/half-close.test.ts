import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type HttpTestServer,
  startHttpTestServer,
  userAccessToken,
} from '../../../packages/server/test/http-test-server.js';
import { sendThenHalfClose } from '../../../packages/server/test/raw-http.js';
import { type ApiProcess, spawnApi, stopApi } from './spawn-api.js';

/**
 * The Dragons API as shipped (`src/main.ts`) answers a client that half-closes its connection right
 * after its request (TCP FIN, as `nc -q` and some proxies do). Its first bearer request awaits the
 * issuer's JWKS, so the answer is ready only after the FIN has arrived.
 */
describe('Dragons API: a client that half-closes after its request', () => {
  let idp: HttpTestServer;
  let api: ApiProcess;

  beforeAll(async () => {
    idp = await startHttpTestServer();
    api = await spawnApi(idp.issuer);
  }, 60_000);

  afterAll(async () => {
    if (api) await stopApi(api);
    await idp?.close();
  });

  it('gets the dragons', async () => {
    const token = await userAccessToken(idp.t);
    const port = Number(new URL(api.base).port);
    const response = await sendThenHalfClose(
      port,
      `GET /api/dragons HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
    expect(response, api.output()).toMatchObject({ status: 200, complete: true });
    expect(JSON.parse(response!.body)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]),
    );
  });
});
