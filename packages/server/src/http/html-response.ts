import { renderPage } from '../pages/render.js';

/**
 * The policy of every hosted page: no script, own stylesheet, forms post to the idp only, no
 * framing. Browsers apply `form-action` to the redirects that follow a form post too (Chromium
 * does), so a page whose form ends at an application (a sign-in returning to its callback, a
 * sign-out to its logout URL) names that application's origin in `formTargets`.
 */
export function pageCsp(formTargets: readonly string[] = []): string {
  const origins = [...new Set(formTargets.map((target) => new URL(target).origin))];
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["form-action 'self'", ...origins].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Renders a hosted page with CSP, anti-framing and no-store headers, plus any cookies to set. */
export function htmlResponse(
  page: Parameters<typeof renderPage>[0],
  status = 200,
  cookies: string[] = [],
  formTargets: readonly string[] = [],
): Response {
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': pageCsp(formTargets),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(renderPage(page), { status, headers });
}
