import { FormPostPage, formPostScriptHash } from '../pages/form-post-page.js';
import { renderPage } from '../pages/render.js';
import type { ResponseMode } from './authorization-request.js';

export interface ResponseTarget {
  redirectUri: string;
  responseMode: ResponseMode;
  state?: string | undefined;
}

/**
 * Sends authorization response parameters to the client's (validated) redirect URI in the
 * requested response mode, always with `iss` (RFC 9207) and `state` when the client sent one.
 */
export function authorizationResponse(
  target: ResponseTarget,
  issuer: string,
  params: Record<string, string | undefined>,
): Response {
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (value !== undefined) fields[name] = value;
  if (target.state !== undefined) fields.state = target.state;
  fields.iss = issuer;
  if (target.responseMode === 'form_post') return formPostResponse(target.redirectUri, fields);
  const url = new URL(target.redirectUri);
  const encoded = new URLSearchParams(fields);
  if (target.responseMode === 'fragment') {
    url.hash = encoded.toString();
  } else {
    for (const [name, value] of encoded) url.searchParams.append(name, value);
  }
  return new Response(null, {
    status: 303,
    headers: { location: url.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}

function formPostResponse(action: string, fields: Record<string, string>): Response {
  const html = renderPage(FormPostPage({ action, fields }));
  const csp = [
    "default-src 'none'",
    `script-src ${formPostScriptHash}`,
    "style-src 'self'",
    `form-action ${new URL(action).origin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return new Response(html, {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    },
  });
}
