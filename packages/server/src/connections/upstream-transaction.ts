import { OAuthError, randomToken } from '@warden/protocol';
import { createSealer } from '@warden/protocol/node';
import { parseCookieHeader, serializeCookie } from '@warden/session';
import { nowSeconds, type ServerConfig } from '../config.js';
import type { ServerContext } from '../server-context.js';
import { hashToken } from '../tokens/hash-token.js';

/** How long a sign-in may stay at the upstream. */
export const UPSTREAM_TRANSACTION_TTL = 10 * 60;

/** What a method keeps between sending the browser upstream and taking it back. */
export interface UpstreamTransaction {
  /** The pending sign-in at Warden. */
  interactionId: string;
  /** The connection the browser went to sign in with. */
  connection: string;
  /** The method's own data: PKCE verifier, nonce, the upstream's redirect URI… */
  data: Record<string, unknown>;
}

const PURPOSE = 'upstream transaction';
const PREFIX = 'upstream:';

/** Cookie binding a transaction to the browser that started it (`__Host-` over https). */
export function upstreamCookieName(config: Pick<ServerConfig, 'insecureLocalhost'>): string {
  return config.insecureLocalhost ? 'warden_upstream' : '__Host-warden_upstream';
}

/**
 * Starts a transaction: stores it sealed, for single use within 10 minutes, in the database every
 * idp process shares (the callback may reach another one), and returns the `state` to send to the
 * upstream and the `Set-Cookie` binding it to this browser. The callback is then refused in any
 * other browser (login CSRF: a victim cannot be made to finish an attacker's sign-in).
 *
 * The cookie is `SameSite=None` over https, so an upstream that answers with a cross-site POST
 * (`response_mode=form_post`) still brings it back; `Lax` on plain-http localhost, where browsers
 * refuse `None`.
 */
export async function beginUpstreamTransaction(
  ctx: ServerContext,
  transaction: UpstreamTransaction,
): Promise<{ state: string; cookie: string }> {
  const state = randomToken(32);
  const binding = randomToken(32);
  const now = nowSeconds(ctx.config);
  await ctx.storage.interactions.insert({
    idHash: hashToken(`${PREFIX}${state}`),
    params: { sealed: sealer(ctx).seal({ ...transaction, binding: hashToken(binding) }) },
    expiresAt: now + UPSTREAM_TRANSACTION_TTL,
  });
  const secure = !ctx.config.insecureLocalhost;
  const cookie = serializeCookie(upstreamCookieName(ctx.config), binding, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: secure ? 'None' : 'Lax',
    maxAge: UPSTREAM_TRANSACTION_TTL,
  });
  return { state, cookie };
}

/**
 * Takes the transaction the callback's `state` names, once: a replayed, unknown or expired state,
 * or one started in another browser, is refused (`invalid_request` for the error page). Whoever
 * calls this first for a state gets it; every later call is refused, across idp processes.
 */
export async function takeUpstreamTransaction(
  ctx: ServerContext,
  request: Request,
  state: string | undefined,
): Promise<UpstreamTransaction> {
  const refused = () =>
    new OAuthError(
      'invalid_request',
      'This sign-in was already finished, has expired, or was started in another browser. Go back to the application and sign in again.',
    );
  if (typeof state !== 'string' || state.length === 0 || state.length > 128) throw refused();
  const row = await ctx.storage.interactions.take(hashToken(`${PREFIX}${state}`));
  if (!row || row.expiresAt <= nowSeconds(ctx.config)) throw refused();
  const sealed = typeof row.params.sealed === 'string' ? row.params.sealed : undefined;
  const opened = sealer(ctx).open(sealed) as (UpstreamTransaction & { binding: string }) | undefined;
  const binding = parseCookieHeader(request.headers.get('cookie')).get(upstreamCookieName(ctx.config));
  if (!opened || binding === undefined || hashToken(binding) !== opened.binding) throw refused();
  return { interactionId: opened.interactionId, connection: opened.connection, data: opened.data };
}

/** The `Set-Cookie` that clears the binding cookie once the callback has used it. */
export function clearUpstreamCookie(ctx: ServerContext): string {
  const secure = !ctx.config.insecureLocalhost;
  return serializeCookie(upstreamCookieName(ctx.config), '', {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: secure ? 'None' : 'Lax',
    maxAge: 0,
  });
}

function sealer(ctx: ServerContext) {
  return createSealer(ctx.config.secret, PURPOSE, { maxSealedLength: 16 * 1024 });
}
