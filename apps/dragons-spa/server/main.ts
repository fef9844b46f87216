import { serve } from '@hono/node-server';
import { createSpaServer } from './create-spa-server.js';
import { readSpaServerEnv } from './spa-server-env.js';

/** Serves the Dragons app's production build on PORT (4200), with /config.json from the environment. */
function main(): void {
  const env = readSpaServerEnv();
  const app = createSpaServer({ root: env.root, settings: env.settings });
  const server = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, (info) => {
    const lines = [
      '',
      `  Dragons app              http://${env.host}:${info.port}/`,
      `  Issuer                   ${env.settings.issuer}`,
      `  Dragons API              ${env.settings.apiUrl}`,
      `  Build                    ${env.root}`,
      `  Listening on http://${env.host}:${info.port}`,
    ];
    console.log(`${lines.join('\n')}\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main();
