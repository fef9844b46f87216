import { createPrivateKey, type KeyObject } from 'node:crypto';
import { importKey, OAuthError, signJwt } from '@warden/protocol';
import type { Upstream } from './resolve-upstream.js';

/** How long one client secret JWT is good for: one token request needs seconds. */
const LIFETIME = 5 * 60;

/**
 * Sign in with Apple's client secret: an ES256 JWT signed with the connection's `.p8` key (its
 * stored client secret), `kid` its Key ID, from the Team ID (`iss`) for the Services ID (`sub`), to
 * the issuer (`aud`), dated by `now` (epoch ms) and good for five minutes. The key may be given as
 * the `.p8` file's PEM text, with its line breaks or with them replaced by spaces or `\n`, or as the
 * base64 between its armour lines. A key that is not a P-256 private key is a 503 for the page.
 */
export async function appleClientSecret(
  upstream: Upstream,
  p8: string | undefined,
  now: number,
): Promise<string> {
  const key = await importKey({
    ...readP8(upstream, p8).export({ format: 'jwk' }),
    alg: 'ES256',
    kid: upstream.presetSettings.keyId,
    use: 'sig',
  });
  const iat = Math.floor(now / 1000);
  return signJwt(
    {
      iss: upstream.presetSettings.teamId,
      iat,
      exp: iat + LIFETIME,
      aud: upstream.issuer,
      sub: upstream.clientId,
    },
    key,
  );
}

function readP8(upstream: Upstream, p8: string | undefined): KeyObject {
  const unreadable = (cause?: unknown) =>
    new OAuthError(
      'temporarily_unavailable',
      `Signing in with ${upstream.displayName} is not available right now: its private key (the connection's client secret, the .p8 file) cannot be read.`,
      { status: 503, cause },
    );
  if (p8 === undefined) throw unreadable();
  const base64 = p8
    .replace(/-----(?:BEGIN|END) PRIVATE KEY-----/g, '')
    .replace(/\\n/g, '')
    .replace(/\s/g, '');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw unreadable(error);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
    throw unreadable();
  return key;
}
