import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How the Dragons app signs in: the page keeps tokens (`token`) or its server does (`cookie`, the BFF). */
export type Mode = 'token' | 'cookie';
export const modes: readonly Mode[] = ['token', 'cookie'];

/** One running system (idp, Dragons API, Dragons app, and the guild) as the tests see it. */
export interface System {
  mode: Mode;
  ports: { idp: number; api: number; spa: number; guild: number };
  /** The idp's URL, also its issuer: `http://localhost:<idp>/`. */
  idpUrl: string;
  /** The Dragon Riders Guild, the demo's upstream idp (connection `guild`): `http://127.0.0.1:<guild>/`. */
  guildUrl: string;
  /** The Dragons API: `http://localhost:<api>/api/`. */
  apiUrl: string;
  /** The Dragons app's origin (no slash) and its home page. */
  spaOrigin: string;
  spaUrl: string;
}

function port(name: string, fallback: number): number {
  return Number(process.env[name] || fallback);
}

/**
 * Where the system of `mode` runs. Non-default ports, so an `npm start` on 3000/3001/4200/3002 can
 * keep running beside the suite: token mode on 3100/3101/4300/3102 (E2E_IDP_PORT, E2E_API_PORT,
 * E2E_SPA_PORT, E2E_GUILD_PORT), cookie mode on 3110/3111/4310/3112 (E2E_COOKIE_IDP_PORT,
 * E2E_COOKIE_API_PORT, E2E_COOKIE_SPA_PORT, E2E_COOKIE_GUILD_PORT). Every process of the run
 * computes the same values.
 */
export function systemOf(mode: Mode): System {
  const ports =
    mode === 'token'
      ? {
          idp: port('E2E_IDP_PORT', 3100),
          api: port('E2E_API_PORT', 3101),
          spa: port('E2E_SPA_PORT', 4300),
          guild: port('E2E_GUILD_PORT', 3102),
        }
      : {
          idp: port('E2E_COOKIE_IDP_PORT', 3110),
          api: port('E2E_COOKIE_API_PORT', 3111),
          spa: port('E2E_COOKIE_SPA_PORT', 4310),
          guild: port('E2E_COOKIE_GUILD_PORT', 3112),
        };
  const spaOrigin = `http://localhost:${ports.spa}`;
  return {
    mode,
    ports,
    idpUrl: `http://localhost:${ports.idp}/`,
    guildUrl: `http://127.0.0.1:${ports.guild}/`,
    apiUrl: `http://localhost:${ports.api}/api/`,
    spaOrigin,
    spaUrl: `${spaOrigin}/`,
  };
}

/** The Dragons API's identifier (`aud`): fixed whatever the port. */
export const apiAudience = 'http://localhost:3001/api/';

/** Seconds the Dragons API's access tokens live in this run (DRAGONS_API_TOKEN_TTL). */
export const accessTokenTtl = 20;

/** The cookie that holds the Dragons app's server session in cookie mode (HttpOnly). */
export const sessionCookieName = '__Host-dragons_session';

export const demo = {
  admin: { email: 'admin@example.com', password: 'dragons-admin', name: 'Daenerys Targaryen' },
  user: { email: 'user@example.com', password: 'dragons-user', name: 'Bilbo Baggins' },
  /** The guild's one user: signs in at the guild ("Continue with Dragon Riders Guild"). */
  rider: { email: 'rider@guild.example', password: 'guild-rider', name: 'Hiccup Haddock' },
} as const;

export type Account = { email: string; password: string; name: string };

/**
 * A third-party app registered for the consent test (a public client: PKCE, no secret). The test
 * serves its callback page itself while it runs.
 */
export const fanSite = {
  clientId: 'e2e-dragon-fan-site',
  name: 'Dragon Fan Site',
  origin: 'http://localhost:4399',
  callback: 'http://localhost:4399/callback',
};

/**
 * Other sites for the cross-site tests of cookie mode: one on the same host as the app, another
 * port (same-site: the browser sends the app's SameSite=Lax cookie along), one on another host
 * (cross-site).
 */
export const otherSites = {
  sameSite: 'http://localhost:4398',
  crossSite: 'http://127.0.0.1:4397',
};

/** Screenshots, logs, traces and the report: outside the repository. */
export const outputDir = process.env.E2E_OUTPUT_DIR ?? join(tmpdir(), 'warden-e2e');
export const screenshotDir = join(outputDir, 'screenshots');
