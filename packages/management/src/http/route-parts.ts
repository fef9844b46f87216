import { ErrorBody } from './management-error.js';

/** The name of the OAuth 2.0 security scheme of the OpenAPI document (client_credentials). */
export const SECURITY_SCHEME = 'management';

/** A route's `security`: a token with every one of `scopes`. */
export function needs(...scopes: string[]) {
  return [{ [SECURITY_SCHEME]: scopes }];
}

const descriptions: Readonly<Record<number, string>> = {
  400: 'Bad input: the message names the field or parameter (errorCode invalid_body, invalid_query_string, invalid_uri).',
  401: 'No token, or a token that is invalid, expired or revoked.',
  403: 'The token lacks a scope this endpoint needs (insufficient_scope), or was not issued to an M2M client.',
  404: 'No such resource (errorCode inexistent_*).',
  409: 'The identifier or name is taken.',
  415: 'The body is not JSON.',
  429: "The caller's budget of requests for this window is spent: Retry-After says when to come back (x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset are on every answer).",
};

/**
 * Error answers of a route, in Auth0's error body. A route that needs a token (401) may also
 * answer 429 (the rate limit counts every caller's requests): it is added.
 */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 415)[]) {
  const all: number[] = statuses.includes(401) ? [...statuses, 429] : statuses;
  return Object.fromEntries(
    all.map((status) => [
      status,
      { description: descriptions[status]!, content: { 'application/json': { schema: ErrorBody } } },
    ]),
  );
}

/** A JSON body of `schema`, required. */
export function jsonBody<T>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON answer of `schema`. */
export function jsonAnswer<T>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } };
}
