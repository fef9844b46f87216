import type { ZodError } from 'zod';
import { ManagementError } from './management-error.js';

/** Where a request value came from, as the validators name it. */
export type ValidationTarget = 'json' | 'query' | 'param' | 'form' | 'header' | 'cookie';

const WHAT: Readonly<Record<string, { label: string; errorCode: string }>> = {
  json: { label: 'Payload', errorCode: 'invalid_body' },
  form: { label: 'Payload', errorCode: 'invalid_body' },
  query: { label: 'Query', errorCode: 'invalid_query_string' },
  param: { label: 'Path', errorCode: 'invalid_uri' },
};

/**
 * The 400 for a request that fails its schema, as Auth0 words it: `Payload validation error:
 * '<problem>' on property <name>.` (`Query…` and `Path…` for the query string and the path), with
 * `errorCode` `invalid_body`, `invalid_query_string` or `invalid_uri`. Every problem is listed,
 * each naming its property (`callbacks.0`, `options.client_id`); an unknown property is named as
 * "Additional properties not allowed".
 */
export function validationError(target: ValidationTarget, error: ZodError): ManagementError {
  const { label, errorCode } = WHAT[target] ?? { label: 'Request', errorCode: 'invalid_request' };
  const problems = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const names = issue.keys.map((key) => (path ? `${path}.${key}` : key));
      return `'Additional properties not allowed: ${names.join(', ')}'`;
    }
    return path ? `'${issue.message}' on property ${path}` : `'${issue.message}'`;
  });
  return new ManagementError(400, errorCode, `${label} validation error: ${problems.join('; ')}.`);
}

/** A 400 about one property of the body that its schema alone cannot judge, worded as `validationError`. */
export function bodyError(property: string, problem: string): ManagementError {
  return new ManagementError(
    400,
    'invalid_body',
    `Payload validation error: '${problem}' on property ${property}.`,
  );
}

/** A 400 about one query parameter that its schema alone cannot judge, worded as `validationError`. */
export function queryError(property: string, problem: string): ManagementError {
  return new ManagementError(
    400,
    'invalid_query_string',
    `Query validation error: '${problem}' on property ${property}.`,
  );
}
