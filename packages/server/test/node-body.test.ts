import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from './harness.js';
import { type HttpTestServer, startHttpTestServer } from './http-test-server.js';

describe('request bodies read from the Node stream (real HTTP)', () => {
  let idp: HttpTestServer;
  beforeAll(async () => {
    idp = await startHttpTestServer();
  });
  afterAll(() => idp.close());

  const post = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
    fetch(`${idp.issuer}oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(idp.t.m2m.client_id, idp.t.m2m.client_secret),
        ...headers,
      },
      body,
    });

  it('reads a form body and answers the grant', async () => {
    const response = await post('grant_type=client_credentials');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { token_type: string }).token_type).toBe('Bearer');
  });

  it('refuses a body over 64 KiB with 413, declared or streamed', async () => {
    const big = `grant_type=client_credentials&pad=${'a'.repeat(70_000)}`;
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: 'invalid_request' });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i++) controller.enqueue(new TextEncoder().encode('a'.repeat(10_000)));
        controller.close();
      },
    });
    const streamed = await fetch(`${idp.issuer}oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it('refuses a body that is not UTF-8', async () => {
    const response = await post(new Uint8Array([0x67, 0x72, 0xff, 0xfe]));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request' });
  });
});
