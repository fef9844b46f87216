import { OAuthError } from '@warden/protocol';
import { checkRequestOrigin, createCsrfToken, verifyCsrfToken } from '@warden/session';
import type { ServerContext } from '../server-context.js';
import type { SsoSession } from '../sso/sso-sessions.js';

const forbidden = (description: string) => new OAuthError('invalid_request', description, { status: 403 });

/**
 * Every form of the hosted pages posts to the idp's own origin: a POST whose Fetch-Metadata,
 * Origin or Referer says otherwise (or that carries none of them) is refused.
 */
export function checkFormOrigin(ctx: ServerContext, request: Request): void {
  const verdict = checkRequestOrigin({
    method: request.method,
    headers: request.headers,
    allowedOrigins: [ctx.config.issuerUrl.origin],
  });
  if (!verdict.ok) throw forbidden(`cross-site form submission refused (${verdict.reason})`);
}

/** A CSRF token for forms shown before a session exists (login, sign-up), and its cookie. */
export function issueLoginCsrf(ctx: ServerContext, request: Request): { token: string; cookie: string } {
  return ctx.loginCsrf.issue(request.headers.get('cookie'));
}

/** Login CSRF protection: the form's token must match the cookie set with the form. */
export function checkLoginCsrf(ctx: ServerContext, request: Request, token: string | undefined): void {
  if (!ctx.loginCsrf.verify(request.headers.get('cookie'), token))
    throw forbidden('the form has expired or its CSRF token is missing; reload the page and try again');
}

/** The synchronizer token of forms shown inside a session (consent, logout). */
export function sessionCsrfToken(session: SsoSession): string {
  return createCsrfToken(session.csrfSecret);
}

export function checkSessionCsrf(session: SsoSession, token: string | undefined): void {
  if (!token || !verifyCsrfToken(session.csrfSecret, token)) {
    throw forbidden('the form has expired or its CSRF token is missing; reload the page and try again');
  }
}
