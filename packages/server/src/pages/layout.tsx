import type { Child } from 'hono/jsx';
import { WardenLogo, wardenFaviconHref } from './icons.js';
import { wardenCssPath } from './styles.js';

export interface LayoutProps {
  /** The page's own title; the document title becomes "`title` · Warden". */
  title: string;
  /** Sends the browser on to this URL at once (`<meta http-equiv="refresh">`), no script needed. */
  refreshTo?: string;
  children?: Child;
}

/**
 * The full HTML document around every hosted page: `lang`, viewport, `referrer: no-referrer`
 * (so codes and state in the URL never leak to other origins), `noindex`, the stylesheet at
 * {@link wardenCssPath}, the Warden header and footer, and `children` inside one `<main>` card.
 * It adds no scripts and no inline styles. It does NOT set HTTP headers: the CSP and
 * `Cache-Control: no-store` are the integrator's.
 */
export function Layout({ title, refreshTo, children }: LayoutProps) {
  return (
    <html lang="en" dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${title} · Warden`}</title>
        <link rel="icon" href={wardenFaviconHref} />
        <link rel="stylesheet" href={wardenCssPath} />
        {refreshTo ? <meta http-equiv="refresh" content={`0; url=${refreshTo}`} /> : null}
      </head>
      <body>
        <div class="page">
          <header class="brand">
            <WardenLogo />
            <span>Warden</span>
          </header>
          <main class="card">{children}</main>
          <footer class="footer">
            <p>Secured by Warden</p>
          </footer>
        </div>
      </body>
    </html>
  );
}
