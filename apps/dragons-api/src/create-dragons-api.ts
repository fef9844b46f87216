import { createVerifier, requireRoles, type Verifier, type VerifierOptions } from '@warden/resource';
import { jwtCheck } from '@warden/resource/express';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { dragons } from './dragons.js';
import { orders } from './orders.js';

/** Options of {@link createDragonsApi}; only `issuer` is required. */
export interface DragonsApiOptions {
  /** The Warden issuer whose access tokens are accepted, e.g. `http://localhost:3000/`. */
  issuer: string;
  /** This API's identifier, the tokens' `aud`. Default `http://localhost:3001/api/`. */
  audience?: string;
  /** Browser origins allowed to call the API (CORS). Default `['http://localhost:4200']`. */
  allowedOrigins?: readonly string[];
  /**
   * More verifier options (`revocation`, `fetch`, `clock`, `logger`, ...). `revocation` defaults
   * to following the issuer's revocation feed.
   */
  verifier?: Omit<VerifierOptions, 'issuer' | 'audience'>;
  /** Where unexpected errors are reported (a pino logger fits). Default: the console. */
  logger?: { error(details: object, message?: string): void };
}

/** The Express app, its verifier (for `status()`), and how to stop following the issuer. */
export interface DragonsApi {
  app: Express;
  verifier: Verifier;
  close(): Promise<void>;
}

/** Every default of the Dragons API, in one place. */
export const dragonsApiDefaults = Object.freeze({
  audience: 'http://localhost:3001/api/',
  allowedOrigins: Object.freeze(['http://localhost:4200']),
  revocation: Object.freeze({}),
});

/**
 * The article's API: `GET /api/dragons` for any caller with a valid access token,
 * `GET /api/orders` for the `admin` role only (decided from the token's `roles` claim, no database
 * call), `GET /api/me` (the caller as the token describes them), and `GET /health` (the verifier's
 * view of the JWKS and the revocation feed, unauthenticated). CORS answers only the allowed origins.
 *
 * Throws `TypeError` for bad options (the verifier's checks included). It does NOT listen: mount
 * `app` on a server, and call `close()` when done.
 */
export function createDragonsApi(options: DragonsApiOptions): DragonsApi {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const allowedOrigins = readOrigins(options.allowedOrigins ?? dragonsApiDefaults.allowedOrigins);
  const verifier = createVerifier({
    revocation: { ...dragonsApiDefaults.revocation },
    ...options.verifier,
    issuer: options.issuer,
    audience: options.audience ?? dragonsApiDefaults.audience,
  });
  const authenticated = jwtCheck(verifier);
  const admin = jwtCheck(verifier, requireRoles('admin'));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/health', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok', ...verifier.status() });
  });
  app.use('/api', allowCors(allowedOrigins), noStore);
  app.get('/api/dragons', authenticated, (_req, res) => {
    res.json(dragons);
  });
  app.get('/api/orders', admin, (_req, res) => {
    res.json(orders);
  });
  app.get('/api/me', authenticated, (req, res) => {
    const { sub, clientId, scopes, roles, permissions, claims, via } = req.auth!;
    res.json({ sub, clientId, scopes, roles, permissions, via, claims });
  });
  app.use(notFound);
  app.use(answerError(options.logger ?? { error: (details, message) => console.error(message, details) }));
  return { app, verifier, close: () => verifier.close() };
}

function readOrigins(origins: readonly string[]): string[] {
  if (!Array.isArray(origins) || origins.length === 0)
    throw new TypeError('allowedOrigins must be a non-empty array of origins');
  return origins.map((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed.origin !== origin)
      throw new TypeError(`allowedOrigins: "${origin}" is not an origin like http://localhost:4200`);
    return origin;
  });
}

/**
 * CORS for the Dragons app only: a request from an allowed origin gets it back in
 * `Access-Control-Allow-Origin` (preflights included); any other origin gets no CORS headers, so
 * browsers keep the response from its script. `WWW-Authenticate` is exposed so the app can read
 * why a call was refused.
 */
function allowCors(origins: string[]): RequestHandler {
  const handle = cors({
    // `false` skips every CORS header (the `cors` package would otherwise still send some).
    origin: (origin, callback) =>
      callback(null, origin !== undefined && origins.includes(origin) ? origin : false),
    methods: ['GET', 'HEAD'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['WWW-Authenticate'],
    maxAge: 600,
  });
  return (req, res, next) => {
    res.vary('Origin');
    handle(req, res, next);
  };
}

const noStore: RequestHandler = (_req, res, next) => {
  res.set('cache-control', 'no-store');
  next();
};

const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found', error_description: 'no such resource' });
};

/** The last handler: a client error keeps its 4xx status, anything else is logged and answered 500 without details. */
function answerError(logger: NonNullable<DragonsApiOptions['logger']>): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const status = (error as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res
        .status(status)
        .json({ error: 'invalid_request', error_description: 'the request was not understood' });
      return;
    }
    logger.error({ err: error }, 'request failed');
    res.status(500).json({ error: 'server_error', error_description: 'the server could not answer' });
  };
}
