import { serve } from '@hono/node-server';
import { answerHalfClosedRequests, purgeExpired } from '@warden/server';
import pino from 'pino';
import { applyConfig, readConfigFile } from './apply-config.js';
import { demoConfig, demoUsers } from './demo-config.js';
import { readIdpEnv } from './idp-env.js';
import { openIdp } from './open-idp.js';

/** `npm start`: the authorization server on embedded SQLite, with the demo registered. */
async function main(): Promise<void> {
  const env = readIdpEnv();
  const logger = pino({ level: env.logLevel, redact: ['password', 'client_secret', 'token'] });
  const idp = await openIdp(env, logger);
  if (env.configFile) {
    const secrets = await applyConfig(idp.admin, readConfigFile(env.configFile));
    for (const [clientId, secret] of Object.entries(secrets)) {
      console.log(`client ${clientId} created; its secret (shown once): ${secret}`);
    }
  }
  if (env.demo) {
    await applyConfig(
      idp.admin,
      demoConfig({
        appOrigins: env.dragonsAppOrigins,
        apiTokenTtl: env.dragonsApiTokenTtl,
        bffClientSecret: env.dragonsBffClientSecret,
      }),
    );
    logger.warn({}, 'DEMO MODE: demo users with known passwords exist. Set WARDEN_DEMO=false in production.');
  }
  await idp.server.context.keys.ensure(['RS256']);
  const server = serve({ fetch: idp.server.fetch, port: env.port, hostname: env.host }, (info) => {
    const lines = [
      '',
      `  Warden identity server   ${env.issuer}`,
      `  Discovery                ${env.issuer}.well-known/openid-configuration`,
      `  JWKS                     ${env.issuer}.well-known/jwks.json`,
      `  Storage                  ${idp.storageDescription}`,
      `  Listening on             ${info.address}:${info.port}`,
    ];
    if (env.demo) {
      lines.push('', '  Demo users:');
      for (const user of demoUsers) {
        lines.push(
          `    ${user.email.padEnd(20)} password: ${user.password.padEnd(14)} ${user.roles.join(', ')}`,
        );
      }
      lines.push('  Demo SPA client_id: dragons-spa    Dragons API audience: http://localhost:3001/api/');
      if (env.dragonsBffClientSecret)
        lines.push('  Demo cookie-mode client_id: dragons-web (the Dragons app server)');
    }
    console.log(`${lines.join('\n')}\n`);
  });
  answerHalfClosedRequests(server);
  const purge = setInterval(() => {
    purgeExpired(idp.server.context).catch((error: unknown) => logger.error({ err: error }, 'purge failed'));
  }, 5 * 60_000);
  purge.unref();
  const stop = () => {
    clearInterval(purge);
    server.close(() => {
      idp.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
