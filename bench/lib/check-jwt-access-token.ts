import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';

export interface CheckedToken {
  alg: string;
  typ: string | undefined;
  kid: string | undefined;
  claims: Record<string, unknown>;
  /** Length of the compact JWS in characters. */
  length: number;
}

function decodePart(part: string | undefined, what: string): Record<string, unknown> {
  if (!part) throw new Error(`the access token has no ${what}: it is not a compact JWS`);
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Checks that `token` is a JWT access token signed with `alg` by a key of the issuer: reads the
 * issuer's JWKS through its discovery document, verifies the signature with `node:crypto`, and
 * checks `aud` names `audience`. Throws with the reason otherwise. It does NOT check `exp`,
 * `iat` or any claim but `aud`: it is a sanity check before a benchmark, not a verifier.
 */
export async function checkJwtAccessToken(
  issuerOrigin: string,
  token: string,
  alg: 'RS256' | 'ES256',
  audience: string,
): Promise<CheckedToken> {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  const header = decodePart(headerPart, 'header');
  const claims = decodePart(payloadPart, 'payload');
  if (header.alg !== alg)
    throw new Error(`the access token is signed with ${String(header.alg)}, not ${alg}`);
  const discovery = (await (await fetch(`${issuerOrigin}/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string;
  };
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as {
    keys: (JsonWebKey & { kid?: string })[];
  };
  const jwk = jwks.keys.find((key) => key.kid === header.kid);
  if (!jwk) throw new Error(`kid ${String(header.kid)} is not in the issuer's JWKS`);
  const valid = verify(
    'sha256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signaturePart ?? '', 'base64url'),
  );
  if (!valid) throw new Error('the access token signature does not verify with the JWKS key');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(audience)) throw new Error(`the access token's aud is not ${audience}`);
  return {
    alg,
    typ: typeof header.typ === 'string' ? header.typ : undefined,
    kid: typeof header.kid === 'string' ? header.kid : undefined,
    claims,
    length: token.length,
  };
}
