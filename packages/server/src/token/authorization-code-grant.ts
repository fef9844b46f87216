import { OAuthError, verifyCodeChallenge } from '@warden/protocol';
import { clientFields, userFields } from '../audit/entry-fields.js';
import { nowSeconds } from '../config.js';
import type { Params } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import type { AuthorizationCode, Client } from '../storage/storage.js';
import { hashToken } from '../tokens/hash-token.js';
import { issueUserTokens, type TokenResponseBody } from './issue-user-tokens.js';

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/**
 * `grant_type=authorization_code`: the code is single use. It is consumed before anything else is
 * checked, so a wrong verifier burns it; a second use revokes what the first one issued, also
 * when both arrive at the same time.
 */
export async function exchangeAuthorizationCode(
  ctx: ServerContext,
  client: Client,
  params: Params,
): Promise<TokenResponseBody> {
  const codeHash = hashToken(params.require('code'));
  const code = await ctx.storage.codes.get(codeHash);
  if (!code || code.clientId !== client.clientId) throw invalidGrant('the authorization code is invalid');
  const now = nowSeconds(ctx.config);
  if (code.consumedAt !== null || !(await ctx.storage.codes.consume(codeHash, now))) {
    await revokeWhatCodeIssued(ctx, codeHash);
    throw invalidGrant('the authorization code was already used; tokens issued with it are revoked');
  }
  if (code.expiresAt <= now) throw invalidGrant('the authorization code has expired');
  const issuedAt = code.expiresAt - ctx.config.ttl.authorizationCode;
  const covered = { sub: code.userId, sid: code.sid, client_id: code.clientId, iat: issuedAt };
  if (await ctx.revocations.isRevoked(covered)) {
    throw invalidGrant('the sign-in behind this code was revoked');
  }
  if (params.get('redirect_uri') !== code.redirectUri) {
    throw invalidGrant('redirect_uri does not match the authorization request');
  }
  await checkCodeVerifier(code, params.get('code_verifier'));
  const user = await ctx.storage.users.get(code.userId);
  if (!user) throw invalidGrant('the user no longer exists');
  if (user.blocked) throw invalidGrant('the user is blocked');
  const issued = await issueUserTokens(ctx, {
    client,
    user,
    scopes: code.scope.split(' ').filter(Boolean),
    audience: code.audience,
    sid: code.sid,
    authTime: code.authTime,
    nonce: code.nonce ?? undefined,
    jti: accessTokenIdFor(codeHash),
  });
  if (issued.refresh) {
    const { token: _token, hash, familyId, expiresAt } = issued.refresh;
    await ctx.storage.refreshTokens.insert({
      tokenHash: hash,
      familyId,
      clientId: client.clientId,
      userId: user.id,
      scope: code.scope,
      audience: code.audience,
      sid: code.sid,
      authTime: code.authTime,
      createdAt: now,
      expiresAt,
      spentAt: null,
      successorHash: null,
      sealedResponse: null,
    });
  }
  await ctx.storage.codes.recordIssued(codeHash, issued.jti, issued.refresh?.familyId ?? null);
  if (await ctx.revocations.isJtiRevokedNow(issued.jti)) {
    // A replay arrived while these tokens were being issued: it revoked the access token, and
    // may have read the code before the family was recorded.
    if (issued.refresh) await ctx.storage.refreshTokens.revokeFamily(issued.refresh.familyId, now);
    throw invalidGrant('the authorization code was used twice; tokens issued with it are revoked');
  }
  await ctx.audit.record({
    type: 'seacft',
    ...clientFields(client),
    ...userFields(user),
    details: { audience: code.audience, scope: code.scope },
  });
  return issued.body;
}

/**
 * The id of the access token a code yields, derived from the code so that a replay can revoke it
 * even before the first exchange has recorded what it issued.
 */
function accessTokenIdFor(codeHash: string): string {
  return hashToken(`warden/code-jti\0${codeHash}`).slice(0, 32);
}

/**
 * PKCE (RFC 7636 §4.6). When the request had no challenge, a verifier is refused too, so a
 * downgrade cannot pass (RFC 9700 §2.1.1).
 */
async function checkCodeVerifier(code: AuthorizationCode, verifier: string | undefined): Promise<void> {
  if (code.codeChallenge === null) {
    if (verifier !== undefined) throw invalidGrant('code_verifier sent but no code_challenge was');
    return;
  }
  if (verifier === undefined) throw new OAuthError('invalid_request', 'missing "code_verifier" parameter');
  if (!(await verifyCodeChallenge(verifier, code.codeChallenge))) {
    throw invalidGrant('code_verifier does not match the code_challenge');
  }
}

/**
 * Revokes the access token first, then reads what was recorded: an exchange still in flight either
 * sees the revocation when it checks (and revokes its family itself), or recorded its family
 * before the read here.
 */
async function revokeWhatCodeIssued(ctx: ServerContext, codeHash: string): Promise<void> {
  const jti = accessTokenIdFor(codeHash);
  await ctx.revocations.revokeToken(jti, nowSeconds(ctx.config) + (await maxAccessTtl(ctx)));
  const code = await ctx.storage.codes.get(codeHash);
  if (!code) return;
  if (code.issuedFamilyId)
    await ctx.storage.refreshTokens.revokeFamily(code.issuedFamilyId, nowSeconds(ctx.config));
  ctx.config.logger.warn({ client_id: code.clientId, sub: code.userId }, 'authorization code replayed');
}

async function maxAccessTtl(ctx: ServerContext): Promise<number> {
  const apis = await ctx.registry.apis();
  return Math.max(ctx.config.ttl.accessToken, ...apis.map((api) => api.accessTokenTtl));
}
