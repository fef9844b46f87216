import {
  ACCESS_TOKEN_REQUIRED_CLAIMS,
  missingTokenError,
  OAuthError,
  readAccessTokenClaims,
  verifyJwt,
} from '@warden/protocol';
import type { ServerContext } from '../server-context.js';

export interface VerifiedAccessToken {
  claims: Record<string, unknown> & {
    sub: string;
    client_id: string;
    scope?: string;
    exp: number;
    iat: number;
    jti: string;
  };
  /** The granted scopes (`scope` split on spaces). */
  scopes: readonly string[];
  kid: string | undefined;
}

/**
 * Verifies an access token this issuer minted as APIs do: signature with a published key
 * (algorithm pinned to the key), `typ: at+jwt`, `iss`, `exp`, the size limit, the optional
 * audience, the RFC 9068 claims (`sub`, `client_id`, `iat`, `jti`) and their types
 * (`readAccessTokenClaims`: whole-second times, string `scope`, identifiers without control
 * characters), and the revocation feed. Encrypted tokens are for their API only and are refused
 * here. Every failure is `OAuthError('invalid_token')`.
 */
export async function verifyAccessToken(
  ctx: ServerContext,
  token: string,
  options: { audience?: string } = {},
): Promise<VerifiedAccessToken> {
  if (token.length > ctx.config.maxTokenSize) throw new OAuthError('invalid_token', 'the token is too large');
  if (token.split('.').length === 5)
    throw new OAuthError('invalid_token', 'encrypted tokens are for their API only');
  const { payload, key } = await verifyJwt(token, await ctx.keys.verificationKeys(), {
    typ: 'at+jwt',
    issuer: ctx.config.issuer,
    ...(options.audience ? { audience: options.audience } : {}),
    maxSize: ctx.config.maxTokenSize,
    currentTime: Math.floor(ctx.config.clock() / 1000),
    requiredClaims: ACCESS_TOKEN_REQUIRED_CLAIMS,
  });
  const { scopes } = readAccessTokenClaims(payload);
  if (await ctx.revocations.isRevoked(payload, key.kid))
    throw new OAuthError('invalid_token', 'the token was revoked');
  return { claims: payload as VerifiedAccessToken['claims'], scopes, kid: key.kid };
}

/**
 * The bearer token of a request (RFC 6750): the Authorization header, or for a form POST the
 * `access_token` field. Sending it both ways is refused (§2).
 */
export function readBearerToken(request: Request, formToken?: string): string {
  const header = request.headers.get('authorization');
  let fromHeader: string | undefined;
  if (header !== null) {
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match?.[1])
      throw new OAuthError('invalid_request', 'malformed Authorization header', { status: 400 });
    fromHeader = match[1];
  }
  if (fromHeader && formToken) throw new OAuthError('invalid_request', 'send the token one way only');
  const token = fromHeader ?? formToken;
  if (!token) throw missingTokenError();
  return token;
}
