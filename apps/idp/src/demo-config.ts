import type { WardenConfigFile } from './apply-config.js';

/** The article's demo: the Dragons API, its Angular app, and two users (one admin). */
export const dragonsApi = 'http://localhost:3001/api/';

export const demoUsers = [
  { email: 'admin@example.com', password: 'dragons-admin', name: 'Daenerys Targaryen', roles: ['admin'] },
  { email: 'user@example.com', password: 'dragons-user', name: 'Bilbo Baggins', roles: [] },
] as const;

/** The Dragon Riders Guild: the demo's upstream identity provider, another Warden idp (`WARDEN_DEMO=guild`). */
export const guild = {
  /** The connection's name in the Dragons demo (`/authorize?connection=guild`). */
  connection: 'guild',
  displayName: 'Dragon Riders Guild',
  /** The Dragons demo idp's client at the guild (confidential: its secret is given to both). */
  clientId: 'dragons-idp',
  user: { email: 'rider@guild.example', password: 'guild-rider', name: 'Hiccup Haddock' },
} as const;

export interface DemoOptions {
  /** Where the Dragons app runs: each origin gets `<origin>/callback`, CORS and `<origin>/` after logout. */
  appOrigins?: readonly string[];
  /** Seconds the Dragons API's access tokens live; default: the server's (600). */
  apiTokenTtl?: number | undefined;
  /**
   * The secret of the Dragons app's backend-for-frontend (cookie mode). When given, the confidential
   * `web` client `dragons-web` is registered too: `<origin>/bff/callback`, `<origin>/` after logout.
   */
  bffClientSecret?: string | undefined;
  /**
   * The Dragon Riders Guild, when it runs: registered as the `oidc` connection `guild` with the
   * client `dragons-idp` and its secret, offered by the Dragons app's clients. Registering it
   * discovers the guild, so it must already be listening.
   */
  guild?: { issuer: string; clientSecret: string } | undefined;
}

/**
 * The demo's registration, for the Dragons app at `appOrigins` (default http://localhost:4200).
 * Applied like any registration file, it creates only what is missing: a data directory that
 * already holds the demo keeps the origins and lifetime it was first registered with.
 */
export function demoConfig(options: DemoOptions = {}): WardenConfigFile {
  const origins = options.appOrigins ?? ['http://localhost:4200'];
  return {
    apis: [
      {
        identifier: dragonsApi,
        name: 'Dragons API',
        alg: 'RS256',
        rbac: true,
        scopes: ['read:dragons', 'read:orders'],
        ...(options.apiTokenTtl !== undefined && { accessTokenTtl: options.apiTokenTtl }),
      },
    ],
    roles: [
      {
        name: 'admin',
        description: 'Sees orders',
        permissions: [{ api: dragonsApi, permission: 'read:orders' }],
      },
    ],
    clients: [
      {
        client_id: 'dragons-spa',
        type: 'spa',
        name: 'Dragons',
        callbacks: origins.map((origin) => `${origin}/callback`),
        origins: [...origins],
        logout_urls: origins.map((origin) => `${origin}/`),
      },
      ...(options.bffClientSecret === undefined
        ? []
        : [
            {
              client_id: 'dragons-web',
              client_secret: options.bffClientSecret,
              type: 'web' as const,
              name: 'Dragons (cookie mode)',
              callbacks: origins.map((origin) => `${origin}/bff/callback`),
              logout_urls: origins.map((origin) => `${origin}/`),
            },
          ]),
    ],
    ...(options.guild && {
      connections: [
        {
          name: guild.connection,
          type: 'oidc',
          display_name: guild.displayName,
          issuer: options.guild.issuer,
          client_id: guild.clientId,
          client_secret: options.guild.clientSecret,
          scopes: ['openid', 'profile', 'email'],
          enabled_clients: ['dragons-spa', ...(options.bffClientSecret === undefined ? [] : ['dragons-web'])],
        },
      ],
    }),
    users: demoUsers.map((user) => ({ ...user, roles: [...user.roles], emailVerified: true })),
  };
}

export interface GuildOptions {
  /** Where the Dragons demo idp takes users back (`<its issuer>login/callback`). */
  callback: string;
  /** The secret of its client `dragons-idp` here (43+ URL-safe characters). */
  clientSecret: string;
}

/**
 * The guild's own registration (`WARDEN_DEMO=guild`): one rider with a known password and the
 * Dragons demo idp as a first-party confidential client, so riders are not asked for consent.
 */
export function guildConfig(options: GuildOptions): WardenConfigFile {
  return {
    clients: [
      {
        client_id: guild.clientId,
        client_secret: options.clientSecret,
        type: 'web',
        name: 'Dragons (Warden demo)',
        callbacks: [options.callback],
      },
    ],
    users: [{ ...guild.user, emailVerified: true }],
  };
}
