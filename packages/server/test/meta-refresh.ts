import { htmlText } from './harness.js';

/**
 * Where a page that moves on by itself (`<meta http-equiv="refresh" content="0; url=…">`, the
 * idp's "Signing you in…" page) sends the browser, or undefined for any other page.
 */
export function metaRefreshTarget(html: string): string | undefined {
  const match = /<meta http-equiv="refresh" content="0; url=([^"]+)"/.exec(html);
  return match ? htmlText(match[1]!) : undefined;
}
