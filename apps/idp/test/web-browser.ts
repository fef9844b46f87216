import { CookieJar, hiddenFields } from '../../../packages/server/test/harness.js';
import { metaRefreshTarget } from '../../../packages/server/test/meta-refresh.js';

type Site = 'none' | 'same-origin' | 'same-site' | 'cross-site';

/** How far apart two URLs are, as Fetch Metadata says it (hosts are sites here: no public suffixes). */
function relation(from: URL, to: URL): Site {
  if (from.origin === to.origin) return 'same-origin';
  return from.hostname === to.hostname ? 'same-site' : 'cross-site';
}

const order: Site[] = ['none', 'same-origin', 'same-site', 'cross-site'];

/**
 * A browser over real HTTP, enough for the hosted pages of two idps: cookies kept per host name
 * (not per port, as browsers keep them), redirects followed by hand, forms posted with their
 * Origin, and `Sec-Fetch-Site` as the most distant step of the navigation so far.
 */
export class WebBrowser {
  readonly #jars = new Map<string, CookieJar>();

  jar(url: string | URL): CookieJar {
    const host = new URL(url).hostname;
    let jar = this.#jars.get(host);
    if (!jar) {
      jar = new CookieJar();
      this.#jars.set(host, jar);
    }
    return jar;
  }

  /**
   * Navigates to `url` (typed in, or from a page at `from`) and follows redirects until a page
   * answers or `stop` says the next URL is where to stop (the app's callback, which does not run
   * here). Returns every URL visited, the last response, and its body when it is a page.
   */
  async navigate(
    url: string,
    options: { from?: string; stop?: (url: URL) => boolean; init?: RequestInit } = {},
  ): Promise<{ visited: URL[]; url: URL; response: Response | undefined; html: string }> {
    let current = new URL(url);
    let site: Site = options.from ? relation(new URL(options.from), current) : 'none';
    let previous = options.from ? new URL(options.from) : undefined;
    let init = options.init;
    const visited: URL[] = [];
    for (let hops = 0; hops < 20; hops++) {
      if (previous) site = order[Math.max(order.indexOf(site), order.indexOf(relation(previous, current)))]!;
      visited.push(current);
      if (options.stop?.(current)) return { visited, url: current, response: undefined, html: '' };
      const response = await fetch(current, {
        ...init,
        redirect: 'manual',
        headers: {
          ...(init?.headers as Record<string, string>),
          cookie: this.jar(current).header(),
          'sec-fetch-site': site,
        },
      });
      this.jar(current).store(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        const html = await response.text();
        // A page that moves on by itself (meta refresh) is followed, as browsers do: a new
        // navigation from that page.
        const refresh = response.ok ? metaRefreshTarget(html) : undefined;
        if (refresh === undefined) return { visited, url: current, response, html };
        previous = undefined;
        site = relation(current, new URL(refresh, current));
        current = new URL(refresh, current);
        init = undefined;
        continue;
      }
      previous = current;
      current = new URL(location, current);
      init = undefined;
    }
    throw new Error(`too many redirects: ${visited.join(' -> ')}`);
  }

  /** Posts the first form of the page at `pageUrl` with its hidden fields and `fields`, then navigates on. */
  async submit(
    page: { url: URL; html: string },
    fields: Record<string, string>,
    stop?: (url: URL) => boolean,
  ) {
    const action = /<form[^>]*action="([^"]*)"/.exec(page.html)?.[1];
    if (action === undefined) throw new Error(`no form on ${page.url}`);
    const target = new URL(action.replace(/&amp;/g, '&'), page.url);
    return this.navigate(target.href, {
      from: page.url.href,
      ...(stop && { stop }),
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: page.url.origin },
        body: new URLSearchParams({ ...hiddenFields(page.html), ...fields }).toString(),
      },
    });
  }
}
