import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type Http2Bindings, type HttpBindings, serve } from '@hono/node-server';
import { afterEach, describe, expect, it } from 'vitest';
import { answerHalfClosedRequests } from '../src/index.js';
import { useTestServer } from './harness.js';
import { rawFormPost, sendThenHalfClose } from './raw-http.js';

/**
 * A client that half-closes its connection right after its request (TCP FIN) still gets the whole
 * answer from the idp served over real HTTP as apps/idp serves it. The answer is made only once the
 * server has seen the client's FIN, as when it awaits a slow database or a signature.
 */

const t = useTestServer();
let http: Server | undefined;

afterEach(async () => {
  http?.closeAllConnections();
  await new Promise((done) => http?.close(done) ?? done(undefined));
  http = undefined;
});

/** Serves the idp on a free port; each request is handled once its connection's client side has ended. */
async function listen(): Promise<number> {
  const ended = new WeakMap<Socket, Promise<void>>();
  http = answerHalfClosedRequests(
    serve({
      fetch: async (request, env: HttpBindings | Http2Bindings) => {
        await ended.get(env.incoming.socket);
        return t().server.fetch(request, env);
      },
      port: 0,
      hostname: '127.0.0.1',
    }),
  ) as Server;
  // Registered after the server's own listener, so it runs once Node has handled the FIN.
  http.on('connection', (socket: Socket) => {
    ended.set(socket, new Promise((resolve) => socket.once('end', resolve)));
  });
  await new Promise<void>((resolve) => http!.once('listening', resolve));
  return (http.address() as AddressInfo).port;
}

describe('a client that half-closes after its request', () => {
  it('gets its access token from the token endpoint', async () => {
    const port = await listen();
    const { client_id, client_secret } = t().m2m;
    const response = await sendThenHalfClose(
      port,
      rawFormPost('/oauth/token', { grant_type: 'client_credentials', client_id, client_secret }),
    );
    expect(response).toMatchObject({ status: 200, complete: true });
    expect(JSON.parse(response!.body)).toMatchObject({
      token_type: 'Bearer',
      access_token: expect.any(String),
    });
  });

  it('gets a refusal (an unknown client) too', async () => {
    const port = await listen();
    const response = await sendThenHalfClose(
      port,
      rawFormPost('/oauth/token', {
        grant_type: 'client_credentials',
        client_id: 'nobody',
        client_secret: 'x',
      }),
    );
    expect(response).toMatchObject({ status: 401, complete: true });
    expect(JSON.parse(response!.body)).toMatchObject({ error: 'invalid_client' });
  });
});
