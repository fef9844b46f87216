import type { WardenConfigFile } from './apply-config.js';

/** The article's demo: the Dragons API, its Angular app, and two users (one admin). */
export const dragonsApi = 'http://localhost:3001/api/';

export const demoUsers = [
  { email: 'admin@example.com', password: 'dragons-admin', name: 'Daenerys Targaryen', roles: ['admin'] },
  { email: 'user@example.com', password: 'dragons-user', name: 'Bilbo Baggins', roles: [] },
] as const;

export const demoConfig: WardenConfigFile = {
  apis: [
    {
      identifier: dragonsApi,
      name: 'Dragons API',
      alg: 'RS256',
      rbac: true,
      scopes: ['read:dragons', 'read:orders'],
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
      callbacks: ['http://localhost:4200/callback'],
      origins: ['http://localhost:4200'],
      logout_urls: ['http://localhost:4200/'],
    },
  ],
  users: demoUsers.map((user) => ({ ...user, roles: [...user.roles], emailVerified: true })),
};
