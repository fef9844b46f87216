import type { ServerContext } from '@warden/server';

/** Where every upstream sends the browser back (Auth0's path): one redirect URI for all connections. */
export const CALLBACK_PATH = '/login/callback';

/** `<issuer>login/callback`, the redirect URI to register at each upstream. */
export function callbackUrl(ctx: ServerContext): string {
  return `${ctx.config.issuer}${CALLBACK_PATH.slice(1)}`;
}
