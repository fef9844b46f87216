import { isOAuthError } from '@warden/protocol';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { authenticateNow, queryOf, withEveryAuthorization } from '../authenticate.js';
import { toBearerErrorResponse } from '../bearer-challenge.js';
import { resolveVerifier, type Verifier } from '../create-verifier.js';
import { checkPolicyList, type Policy } from '../policy.js';
import type { Principal } from '../principal.js';
import type { RequestLike } from '../token-locations.js';
import type { VerifierOptions } from '../verifier-options.js';

declare global {
  namespace Express {
    interface Request {
      /** The verified caller, set by `jwtCheck`. */
      auth?: Principal;
    }
  }
}

/** An Express middleware that verifies the bearer token, with a way to add policies per route. */
export interface JwtCheck extends RequestHandler {
  readonly verifier: Verifier;
  /** The same check (same verifier and policies) plus `policies`, e.g. `jwtCheck.with(requireRoles('admin'))`. */
  with(...policies: Policy[]): JwtCheck;
}

/**
 * The article's `jwtCheck`, done with Warden's verifier:
 *
 * ```ts
 * const jwtCheck = createJwtCheck({ issuer: 'http://localhost:3000/', audience: 'http://localhost:3001/api/' });
 * app.get('/api/dragons', jwtCheck, (req, res) => res.json(dragons));
 * app.get('/api/orders', jwtCheck.with(requireRoles('admin')), (req, res) => res.json(orders));
 * ```
 *
 * On success `req.auth` holds the `Principal` and the next handler runs. On failure the request
 * is answered here (status, `{ error, error_description }` JSON, `WWW-Authenticate: Bearer …`,
 * `Cache-Control: no-store`) and no later handler runs. Errors that are not about the request
 * (bad static keys, a bug) go to Express's error handling with `next(error)`.
 *
 * Tokens in a form body (`tokenLocations: ['body']`) are read from `req.body`, so mount
 * `express.urlencoded()` before it. Throws `TypeError` for bad options or policies.
 */
export function createJwtCheck(
  verifierOrOptions: Verifier | VerifierOptions,
  ...policies: Policy[]
): JwtCheck {
  const { verifier } = resolveVerifier(verifierOrOptions);
  return makeJwtCheck(verifier, checkPolicyList('jwtCheck', policies));
}

/** The name issue 3 uses: `jwtCheck(verifierOrOptions, ...policies)`, the same as `createJwtCheck`. */
export const jwtCheck = createJwtCheck;

function makeJwtCheck(verifier: Verifier, policies: readonly Policy[]): JwtCheck {
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    let result: Principal | Promise<Principal>;
    try {
      result = authenticateNow(verifier, toRequestLike(req, verifier), policies);
    } catch (error) {
      refuse(error, res, next);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (principal) => accept(principal, req, next),
        (error: unknown) => refuse(error, res, next),
      );
    } else {
      accept(result, req, next);
    }
  };
  const refuse = (error: unknown, res: Response, next: NextFunction): void => {
    if (!isOAuthError(error)) {
      next(error);
      return;
    }
    const answer = toBearerErrorResponse(error, verifier.realm);
    res.status(answer.status).set(answer.headers).json(answer.body);
  };
  return Object.assign(middleware, {
    verifier,
    with: (...more: Policy[]) =>
      makeJwtCheck(verifier, [...policies, ...checkPolicyList('jwtCheck.with', more)]),
  });
}

function accept(principal: Principal, req: Request, next: NextFunction): void {
  req.auth = principal;
  next();
}

function toRequestLike(req: Request, verifier: Verifier): RequestLike {
  const request: RequestLike = {
    method: req.method,
    headers: withEveryAuthorization(req.headers, req.rawHeaders),
  };
  const locations = verifier.tokenLocations;
  if (locations.length === 1 && locations[0] === 'header') return request;
  if (locations.includes('query')) request.query = queryOf(req.originalUrl ?? req.url);
  if (locations.includes('body')) request.body = req.body;
  return request;
}
