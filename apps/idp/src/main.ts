import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { answerHalfClosedRequests, consoleSetupLink, purgeExpired } from '@warden/server';
import pino from 'pino';
import { applyConfig, readConfigFile } from './apply-config.js';
import { consoleBuildDir, mountConsole } from './console-app.js';
import { demoConfig, demoUsers, guild, guildConfig } from './demo-config.js';
import { readIdpEnv } from './idp-env.js';
import { openIdp } from './open-idp.js';

/**
 * `npm start`: the authorization server on embedded SQLite, with the demo registered (or, with
 * `WARDEN_DEMO=guild`, the demo's upstream identity provider, the Dragon Riders Guild).
 */
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
  const upstream = env.dragonsGuild;
  if (env.demo === 'dragons') {
    await applyConfig(
      idp.admin,
      demoConfig({
        appOrigins: env.dragonsAppOrigins,
        apiTokenTtl: env.dragonsApiTokenTtl,
        bffClientSecret: env.dragonsBffClientSecret,
        guild: upstream?.issuer
          ? { issuer: upstream.issuer, clientSecret: upstream.clientSecret }
          : undefined,
      }),
    );
  } else if (env.demo === 'guild' && upstream) {
    await applyConfig(
      idp.admin,
      guildConfig({ callback: upstream.callback, clientSecret: upstream.clientSecret }),
    );
  }
  if (env.demo) {
    logger.warn({}, 'DEMO MODE: demo users with known passwords exist. Set WARDEN_DEMO=false in production.');
  }
  if (env.allowInsecureUpstreams) {
    logger.warn(
      {},
      'WARDEN_ALLOW_INSECURE_UPSTREAMS: connections may use plain-http upstreams on this machine. Never in production.',
    );
  }
  await idp.server.context.keys.ensure(['RS256']);
  mountConsole(idp.server, { audience: idp.managementApi });
  const consoleBuilt = existsSync(join(consoleBuildDir, 'index.html'));
  const setupLink = await consoleSetupLink(idp.server.context);
  const server = serve({ fetch: idp.server.fetch, port: env.port, hostname: env.host }, (info) => {
    const lines = [
      '',
      `  Warden identity server   ${env.issuer}`,
      `  Discovery                ${env.issuer}.well-known/openid-configuration`,
      `  JWKS                     ${env.issuer}.well-known/jwks.json`,
      `  Management API           ${idp.managementApi} (${idp.managementApi}openapi.json)`,
      `  Console                  ${env.issuer}console/${consoleBuilt ? '' : '  (not built: npm run build)'}`,
      `  Storage                  ${idp.storageDescription}`,
      `  Listening on             ${info.address}:${info.port}`,
    ];
    if (setupLink) {
      lines.push(
        '',
        '  No administrator yet. This link creates the first one (valid 24 h, until one exists):',
        `  Console setup            ${setupLink}`,
      );
    }
    if (env.demo === 'guild') {
      lines.push(
        '',
        `  ${guild.displayName}: the demo's upstream identity provider`,
        `    ${guild.user.email.padEnd(20)} password: ${guild.user.password}`,
        `  Client ${guild.clientId} (the Dragons demo's idp) returns to ${upstream?.callback}`,
      );
    }
    if (env.demo === 'dragons') {
      lines.push('', '  Demo users:');
      for (const user of demoUsers) {
        lines.push(
          `    ${user.email.padEnd(20)} password: ${user.password.padEnd(14)} ${user.roles.join(', ')}`,
        );
      }
      lines.push('  Demo SPA client_id: dragons-spa    Dragons API audience: http://localhost:3001/api/');
      if (env.dragonsBffClientSecret)
        lines.push('  Demo cookie-mode client_id: dragons-web (the Dragons app server)');
      if (upstream?.issuer)
        lines.push(`  Demo connection: ${guild.connection} (${guild.displayName} at ${upstream.issuer})`);
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
