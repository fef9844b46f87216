import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createDragonsApi } from './create-dragons-api.js';
import { readDragonsApiEnv } from './dragons-api-env.js';

/** `npm start -w @warden/dragons-api`: the Dragons API on :3001, configured by the environment. */
function main(): void {
  const env = readDragonsApiEnv();
  const logger = pino({ level: env.logLevel });
  const api = createDragonsApi({
    issuer: env.issuer,
    audience: env.audience,
    allowedOrigins: env.allowedOrigins,
    logger,
    verifier: {
      logger,
      revocation: env.revocation
        ? {
            failClosed: env.failClosed,
            ...(env.maxStaleness === undefined ? {} : { maxStaleness: env.maxStaleness }),
          }
        : false,
    },
  });
  const server = api.app.listen(env.port, env.host, (error?: Error) => {
    if (error) {
      console.error(error.message);
      process.exit(1);
    }
    const { address, port } = server.address() as AddressInfo;
    const lines = [
      '',
      `  Dragons API              ${env.audience}`,
      `  Issuer                   ${env.issuer}`,
      `  CORS origins             ${env.allowedOrigins.join(', ')}`,
      `  Revocation feed          ${env.revocation ? `followed${env.failClosed ? ' (fail closed)' : ''}` : 'off'}`,
      `  Listening on             ${address}:${port}`,
    ];
    console.log(`${lines.join('\n')}\n`);
  });
  // Answer clients that half-close their connection after sending the request (a TCP FIN, as some
  // proxies and load testers do): by default Node ends the connection before an awaited answer.
  // `httpAllowHalfOpen` is a long-standing Node setting missing from its type definitions.
  Object.assign(server, { httpAllowHalfOpen: true });
  const stop = () => {
    server.close(() => {
      api.close().finally(() => process.exit(0));
    });
    server.closeAllConnections();
    // A shutdown grace period, so real time: exit within 3 s even if closing hangs.
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
