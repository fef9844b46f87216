import { OAuthError } from '@warden/protocol';
import { createSealer, type Sealer } from '@warden/protocol/node';
import { nowSeconds } from '../config.js';
import type { Params } from '../http/read-params.js';
import type { ServerContext } from '../server-context.js';
import type { Client, RefreshToken } from '../storage/storage.js';
import { hashToken } from '../tokens/hash-token.js';
import { issueUserTokens, type TokenResponseBody } from './issue-user-tokens.js';

const invalidGrant = (description: string) => new OAuthError('invalid_grant', description);

/** The refusal of a spent refresh token presented again: its family (`token.familyId`) is revoked. */
export class RefreshTokenReused extends OAuthError {
  readonly token: RefreshToken;

  constructor(token: RefreshToken) {
    super('invalid_grant', 'the refresh token was already used; its family is revoked');
    this.token = token;
  }
}

/**
 * `grant_type=refresh_token` with rotation: every use spends the token and returns a successor of
 * the same family. Presenting a spent token revokes the family (RFC 9700 §4.14.2), except an
 * identical retry inside the grace window while the successor is still unused, which gets the same
 * response back (a client whose first answer was lost on the network is not signed out).
 */
export async function refreshTokens(
  ctx: ServerContext,
  client: Client,
  params: Params,
): Promise<TokenResponseBody> {
  const presented = params.require('refresh_token');
  const row = await ctx.storage.refreshTokens.get(hashToken(presented));
  if (!row || row.clientId !== client.clientId) throw invalidGrant('the refresh token is invalid');
  const now = nowSeconds(ctx.config);
  if (await ctx.storage.refreshTokens.familyRevoked(row.familyId))
    throw invalidGrant('the refresh token was revoked');
  if (row.expiresAt <= now) throw invalidGrant('the refresh token has expired');
  if (row.spentAt !== null) return answerSpentToken(ctx, row, presented);

  const scopes = narrowScopes(row.scope.split(' ').filter(Boolean), params.get('scope'));
  const user = await ctx.storage.users.get(row.userId);
  if (!user) throw invalidGrant('the user no longer exists');
  if (user.blocked) throw invalidGrant('the user is blocked');
  const issued = await issueUserTokens(ctx, {
    client,
    user,
    scopes,
    audience: row.audience,
    sid: row.sid,
    authTime: row.authTime,
    familyId: row.familyId,
  });
  const successor = issued.refresh;
  if (!successor) throw new OAuthError('server_error', 'no successor refresh token was issued');
  const sealed = retrySealer(presented).seal(issued.body);
  const won = await ctx.storage.transaction(async (tx) => {
    if (!(await tx.refreshTokens.spend(row.tokenHash, successor.hash, sealed, now))) return false;
    await tx.refreshTokens.insert({
      ...row,
      tokenHash: successor.hash,
      scope: row.scope,
      createdAt: now,
      expiresAt: row.expiresAt,
      spentAt: null,
      successorHash: null,
      sealedResponse: null,
    });
    return true;
  });
  if (!won) {
    // Another request spent it first: answer as for a retry.
    const spent = await ctx.storage.refreshTokens.get(row.tokenHash);
    if (!spent) throw invalidGrant('the refresh token is invalid');
    return answerSpentToken(ctx, spent, presented);
  }
  return issued.body;
}

async function answerSpentToken(
  ctx: ServerContext,
  row: RefreshToken,
  presented: string,
): Promise<TokenResponseBody> {
  const now = nowSeconds(ctx.config);
  const withinGrace = row.spentAt !== null && now - row.spentAt <= ctx.config.refreshGraceWindow;
  if (withinGrace && row.successorHash && row.sealedResponse) {
    const successor = await ctx.storage.refreshTokens.get(row.successorHash);
    const answer = successor?.spentAt === null ? retrySealer(presented).open(row.sealedResponse) : undefined;
    if (answer) return answer as TokenResponseBody;
  }
  await ctx.storage.refreshTokens.revokeFamily(row.familyId, now);
  await ctx.revocations.revokeIssuedBefore('session', row.sid);
  ctx.config.logger.warn(
    { client_id: row.clientId, sub: row.userId },
    'spent refresh token reused; family revoked',
  );
  throw new RefreshTokenReused(row);
}

/** A refresh may ask for fewer scopes than were granted, never more (RFC 6749 §6). */
function narrowScopes(granted: string[], requested: string | undefined): string[] {
  if (requested === undefined) return granted;
  const scopes = requested.split(' ').filter(Boolean);
  for (const scope of scopes) {
    if (!granted.includes(scope)) throw new OAuthError('invalid_scope', `scope "${scope}" was not granted`);
  }
  return scopes;
}

/**
 * Seals the answer to a refresh under a key derived from the (high-entropy) refresh token itself,
 * so only its holder can read the answer back for an identical retry; the database keeps no usable
 * token.
 */
function retrySealer(refreshToken: string): Sealer {
  return createSealer(refreshToken, 'refresh retry', { maxSealedLength: 64 * 1024 });
}
