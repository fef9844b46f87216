import {
  computeCodeChallenge,
  createCodeVerifier,
  randomToken,
  timingSafeEqual,
} from '@warden/protocol/core';
import type { Sealer } from '@warden/protocol/node';
import { parseCookieHeader, serializeCookie } from '@warden/session';
import type { BffConfig } from './bff-options.js';

/** One sign-in in progress, kept sealed in a cookie between `/login` and `/callback`. */
export interface LoginTransaction {
  state: string;
  nonce: string;
  verifier: string;
  /** A path on the app's origin to return to. */
  returnTo: string;
  /** Epoch milliseconds after which the callback is refused. */
  expiresAt: number;
}

/** The transaction cookie's name: `__Host-` prefixed when Secure. */
export function transactionCookieName(config: BffConfig): string {
  return config.secure ? '__Host-warden_bff_tx' : 'warden_bff_tx';
}

/**
 * A path of this origin to come back to after sign-in: starts with one `/` (not `//` or `/\`,
 * which browsers read as another host), has no control characters, else `/`.
 */
export function safeReturnTo(value: string | undefined | null): string {
  if (!value || value.length > 2048 || !value.startsWith('/') || /^\/[/\\]/.test(value)) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  return value;
}

/** Starts a sign-in: the transaction, its PKCE challenge and the `Set-Cookie` that keeps it. */
export async function beginTransaction(
  config: BffConfig,
  sealer: Sealer,
  returnTo: string,
  now: number,
): Promise<{ transaction: LoginTransaction; challenge: string; cookie: string }> {
  const transaction: LoginTransaction = {
    state: randomToken(16),
    nonce: randomToken(16),
    verifier: createCodeVerifier(),
    returnTo,
    expiresAt: now + config.loginTimeout * 1000,
  };
  const cookie = serializeCookie(transactionCookieName(config), sealer.seal(transaction), {
    httpOnly: true,
    secure: config.secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: config.loginTimeout,
  });
  return { transaction, challenge: await computeCodeChallenge(transaction.verifier), cookie };
}

/** The `Set-Cookie` that ends the transaction. */
export function clearTransactionCookie(config: BffConfig): string {
  return serializeCookie(transactionCookieName(config), '', {
    httpOnly: true,
    secure: config.secure,
    sameSite: 'Lax',
    path: '/',
    maxAge: 0,
    expires: new Date(0),
  });
}

/**
 * The transaction whose `state` came back, or `undefined`: no cookie, a cookie this server did not
 * seal, another sign-in's state (this tab started a newer one), or past its expiry.
 */
export function readTransaction(
  config: BffConfig,
  sealer: Sealer,
  cookieHeader: string | null,
  state: string | undefined,
  now: number,
): LoginTransaction | undefined {
  let cookies: Map<string, string>;
  try {
    cookies = parseCookieHeader(cookieHeader ?? '');
  } catch {
    return undefined;
  }
  const opened = sealer.open(cookies.get(transactionCookieName(config))) as
    | Partial<LoginTransaction>
    | undefined;
  if (
    typeof opened?.state !== 'string' ||
    typeof opened.nonce !== 'string' ||
    typeof opened.verifier !== 'string'
  ) {
    return undefined;
  }
  if (typeof state !== 'string' || !timingSafeEqual(opened.state, state)) return undefined;
  if (typeof opened.expiresAt !== 'number' || opened.expiresAt <= now) return undefined;
  return { ...(opened as LoginTransaction), returnTo: safeReturnTo(opened.returnTo) };
}
