import { serve } from '@hono/node-server';
import { createDragonsBff, type DragonsBff } from './create-dragons-bff.js';
import { createSpaServer } from './create-spa-server.js';
import { readSpaServerEnv } from './spa-server-env.js';

/**
 * Serves the Dragons app's production build on PORT (4200), with /config.json from the
 * environment; in cookie mode (DRAGONS_AUTH_MODE=cookie) also the backend-for-frontend.
 */
function main(): void {
  const env = readSpaServerEnv();
  let cookieMode: DragonsBff | undefined;
  if (env.cookie) {
    cookieMode = createDragonsBff(env.cookie, {
      onError: (error) => console.error('bff:', error instanceof Error ? error.message : error),
    });
  }
  const app = createSpaServer(
    cookieMode ? { root: env.root, bff: cookieMode.bff } : { root: env.root, settings: env.settings },
  );
  const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
    const lines = [
      '',
      `  Dragons app              http://${env.host}:${info.port}/`,
      `  Mode                     ${
        cookieMode
          ? 'cookie (this server signs in as dragons-web; the browser holds an HttpOnly session cookie)'
          : 'token (the page signs in as dragons-spa and keeps its tokens in memory)'
      }`,
      `  Issuer                   ${env.settings.issuer}`,
      `  Dragons API              ${env.settings.apiUrl}${cookieMode ? ' (forwarded from /api/)' : ''}`,
      ...(cookieMode ? [`  Sessions                 ${cookieMode.storeDescription}`] : []),
      `  Build                    ${env.root}`,
      `  Listening on http://${env.host}:${info.port}`,
    ];
    console.log(`${lines.join('\n')}\n`);
  });
  // Answer clients that half-close their connection after sending the request (a TCP FIN, as some
  // proxies and load testers do): by default Node ends the connection before an awaited answer.
  // `httpAllowHalfOpen` is a long-standing Node setting missing from its type definitions.
  Object.assign(server, { httpAllowHalfOpen: true });
  const stop = () => {
    server.close(() => {
      Promise.resolve(cookieMode?.close()).finally(() => process.exit(0));
    });
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
