import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the system under test runs. Non-default ports, so an `npm start` on 3000/3001/4200 can
 * keep running beside the suite; each can be moved with E2E_IDP_PORT, E2E_API_PORT, E2E_SPA_PORT.
 * Every process of the run (runner, workers, global setup) computes the same values.
 */
export const ports = {
  idp: Number(process.env.E2E_IDP_PORT ?? 3100),
  api: Number(process.env.E2E_API_PORT ?? 3101),
  spa: Number(process.env.E2E_SPA_PORT ?? 4300),
};

export const idpUrl = `http://localhost:${ports.idp}/`;
export const issuer = idpUrl;
export const apiUrl = `http://localhost:${ports.api}/api/`;
export const spaOrigin = `http://localhost:${ports.spa}`;
export const spaUrl = `${spaOrigin}/`;

/** The Dragons API's identifier (`aud`): fixed whatever the port. */
export const apiAudience = 'http://localhost:3001/api/';

/** Seconds the Dragons API's access tokens live in this run (DRAGONS_API_TOKEN_TTL). */
export const accessTokenTtl = 20;

export const demo = {
  admin: { email: 'admin@example.com', password: 'dragons-admin', name: 'Daenerys Targaryen' },
  user: { email: 'user@example.com', password: 'dragons-user', name: 'Bilbo Baggins' },
} as const;

export type Account = { email: string; password: string; name: string };

/**
 * A third-party app registered for the consent test (a public client: PKCE, no secret). Nothing
 * listens at its origin; the test answers its callback itself.
 */
export const fanSite = {
  clientId: 'e2e-dragon-fan-site',
  name: 'Dragon Fan Site',
  origin: 'http://localhost:4399',
  callback: 'http://localhost:4399/callback',
};

/** Screenshots, logs, traces and the report: outside the repository. */
export const outputDir = process.env.E2E_OUTPUT_DIR ?? join(tmpdir(), 'warden-e2e');
export const screenshotDir = join(outputDir, 'screenshots');
