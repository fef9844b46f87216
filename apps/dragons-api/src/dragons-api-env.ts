/** What the Dragons API reads from the environment; only `main.ts` calls this. */
export interface DragonsApiEnv {
  port: number;
  host: string;
  issuer: string;
  audience: string;
  allowedOrigins: string[];
  revocation: boolean;
  maxStaleness: number | undefined;
  failClosed: boolean;
  logLevel: string;
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new TypeError(`${name} must be true or false, got "${value}"`);
}

function seconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new TypeError(`${name} must be a number of seconds`);
  return number;
}

/**
 * Reads `PORT` (3001), `HOST` (localhost), `WARDEN_ISSUER` (http://localhost:3000/), `API_AUDIENCE`
 * (http://localhost:3001/api/), `DRAGONS_APP_ORIGIN` (http://localhost:4200; several separated by
 * commas), `WARDEN_REVOCATION` (true: follow the issuer's revocation feed),
 * `WARDEN_REVOCATION_MAX_STALENESS` (seconds), `WARDEN_REVOCATION_FAIL_CLOSED` (false) and
 * `LOG_LEVEL` (info). Throws `TypeError` naming the variable that is wrong; it does NOT check the
 * URLs, which the verifier does when it is created.
 */
export function readDragonsApiEnv(env: NodeJS.ProcessEnv = process.env): DragonsApiEnv {
  const port = Number(env.PORT || 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('PORT must be a port number');
  const origins = (env.DRAGONS_APP_ORIGIN || 'http://localhost:4200')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return {
    port,
    host: env.HOST || 'localhost',
    issuer: env.WARDEN_ISSUER || 'http://localhost:3000/',
    audience: env.API_AUDIENCE || 'http://localhost:3001/api/',
    allowedOrigins: origins,
    revocation: flag('WARDEN_REVOCATION', env.WARDEN_REVOCATION, true),
    maxStaleness: seconds('WARDEN_REVOCATION_MAX_STALENESS', env.WARDEN_REVOCATION_MAX_STALENESS),
    failClosed: flag('WARDEN_REVOCATION_FAIL_CLOSED', env.WARDEN_REVOCATION_FAIL_CLOSED, false),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
