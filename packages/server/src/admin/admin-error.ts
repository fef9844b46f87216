/**
 * What kind of mistake an `AdminError` is, so the management API can answer it as Auth0 does:
 * `invalid` (400: a value is wrong or missing), `not_found` (404: the thing the request names, by
 * its id, does not exist), `conflict` (409: the identifier, name or email is taken).
 */
export type AdminErrorCode = 'invalid' | 'not_found' | 'conflict';

/**
 * A mistake in what an administrator asked for; the CLI prints its message, the management API
 * answers it with the status of its `code` (default `invalid`). The message names the field or
 * flag and says what is wrong; it never holds a secret.
 */
export class AdminError extends Error {
  override name = 'AdminError';
  readonly code: AdminErrorCode;

  constructor(message: string, options: { code?: AdminErrorCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'invalid';
  }

  /** The thing named by its id (`unknown client: X`) does not exist. */
  static notFound(message: string): AdminError {
    return new AdminError(message, { code: 'not_found' });
  }

  /** The identifier, name or email is taken (`client X already exists`). */
  static conflict(message: string): AdminError {
    return new AdminError(message, { code: 'conflict' });
  }
}
