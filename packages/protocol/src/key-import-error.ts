/**
 * Thrown by `importKey` and `importKeySet` when a key or key set is refused. The message says
 * which key (`keys[i]`, and its `kid` when it has one) and why; `cause` holds any underlying
 * platform error. It is not an `OAuthError`: keys come from configuration, storage or a fetched
 * JWKS, and each caller maps a refusal to its own outcome (a startup failure,
 * `invalid_client_metadata`, an unavailable verifier, ...).
 */
export class KeyImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeyImportError';
  }
}
