/** A mistake in what an administrator asked for; the CLI prints its message. */
export class AdminError extends Error {
  override name = 'AdminError';
}
