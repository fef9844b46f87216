import { renderPage } from '../pages/render.js';

/** The policy of every hosted page: no script, own stylesheet, forms post to the idp only, no framing. */
export const pageCsp = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Renders a hosted page with CSP, anti-framing and no-store headers, plus any cookies to set. */
export function htmlResponse(
  page: Parameters<typeof renderPage>[0],
  status = 200,
  cookies: string[] = [],
): Response {
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': pageCsp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(renderPage(page), { status, headers });
}
