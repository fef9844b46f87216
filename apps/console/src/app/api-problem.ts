/** A refusal of the management API, as the console shows it. */
export interface ApiProblem {
  /** The HTTP status (0: the API could not be reached). */
  status: number;
  /** Auth0's `errorCode` (`invalid_body`, `inexistent_client`…), when the API gave one. */
  errorCode: string | undefined;
  /** A sentence for the user: the API's own message when it gave one. */
  message: string;
}

/**
 * The API's answer to a failed request (Auth0's body `{ statusCode, error, message, errorCode }`)
 * as an {@link ApiProblem}; `body` is whatever the response held.
 */
export function apiProblem(status: number, body: unknown): ApiProblem {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errorCode = typeof fields.errorCode === 'string' ? fields.errorCode : undefined;
  const given = typeof fields.message === 'string' && fields.message !== '' ? fields.message : undefined;
  return { status, errorCode, message: given ?? fallbackMessage(status) };
}

function fallbackMessage(status: number): string {
  if (status === 0) return 'The management API cannot be reached. Check your connection and try again.';
  if (status === 401) return 'Your sign-in is no longer accepted. Sign in again.';
  if (status === 429) return 'Too many requests: wait a few seconds and try again.';
  if (status >= 500) return `The management API failed (${status}). Try again in a moment.`;
  return `The management API refused the request (${status}).`;
}

/** The role that makes a user an administrator of Warden (the API names it when it refuses others). */
export const ADMINISTRATOR_ROLE = 'warden:admin';

/** The API refused the signed-in user because they are not an administrator of Warden. */
export function isNotAdministrator(problem: ApiProblem): boolean {
  return problem.status === 403 && problem.message.includes(ADMINISTRATOR_ROLE);
}

/**
 * Which of a form's fields a 400 names, each with the API's message: `fields` maps the API's
 * property names (`callbacks`, `allowed_origins`) to the form's. Schema errors name their
 * properties (`… on property callbacks.0.`); the domain's start with the property or name it in
 * the sentence (`callbacks must be an absolute URL: …`), and the first one named is taken. A
 * message that names none of the fields gives an empty map (shown for the whole form).
 */
export function fieldProblems(
  message: string,
  fields: Readonly<Record<string, string>>,
): Record<string, string> {
  const named = new Set<string>();
  for (const match of message.matchAll(/on property ([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const field = Object.hasOwn(fields, match[1]!) ? fields[match[1]!] : undefined;
    if (field !== undefined) named.add(field);
  }
  if (named.size === 0) {
    let first: { at: number; field: string } | undefined;
    for (const [property, field] of Object.entries(fields)) {
      const at = message.search(new RegExp(`(?<![A-Za-z0-9_])${property}(?![A-Za-z0-9_])`));
      if (at >= 0 && (first === undefined || at < first.at)) first = { at, field };
    }
    if (first) named.add(first.field);
  }
  return Object.fromEntries([...named].map((field) => [field, message]));
}
