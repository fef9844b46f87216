/** What a sign-in keeps in its upstream transaction between `start` and the callback. */
export interface SignInData {
  /** The redirect URI sent upstream, sent again with the code. */
  redirectUri: string;
  /** PKCE code verifier, when the connection uses PKCE. */
  verifier?: string;
  /** OpenID `nonce`, which the ID token must carry. */
  nonce?: string;
  /** `max_age` forwarded upstream, which the ID token's `auth_time` must meet. */
  maxAge?: number;
}

/** Reads the data back (it was sealed by this server, so only its shape is checked). */
export function readSignInData(data: Record<string, unknown>): SignInData {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const redirectUri = text(data.redirectUri);
  if (redirectUri === undefined) throw new TypeError('upstream transaction without a redirect URI');
  const read: SignInData = { redirectUri };
  const verifier = text(data.verifier);
  const nonce = text(data.nonce);
  if (verifier !== undefined) read.verifier = verifier;
  if (nonce !== undefined) read.nonce = nonce;
  if (typeof data.maxAge === 'number') read.maxAge = data.maxAge;
  return read;
}
