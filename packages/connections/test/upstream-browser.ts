import { CookieJar } from '../../server/test/harness.js';

/**
 * A browser at an upstream served over real HTTP: its own cookie jar (cookies are per site), and
 * redirects left to the caller, as the test follows them by hand from one origin to the other.
 */
export class UpstreamBrowser {
  readonly jar = new CookieJar();

  async get(url: string): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: this.jar.header() } });
    this.jar.store(response);
    return response;
  }

  /** A form post from a page of the same origin. */
  async post(url: string, fields: Record<string, string>): Promise<Response> {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.jar.header(),
        'content-type': 'application/x-www-form-urlencoded',
        origin: new URL(url).origin,
      },
      body: new URLSearchParams(fields).toString(),
    });
    this.jar.store(response);
    return response;
  }
}

/** What the user does on the upstream's pages. */
export interface UpstreamChoices {
  /** Cancel on the first page instead of signing in (the upstream answers `access_denied`). */
  cancel?: boolean;
}

/**
 * Follows the upstream from `url` (its authorization endpoint) the way a user would: through its
 * redirects, signing in on its login page and approving on its consent page (pages marked
 * `data-prompt`), until it sends the browser to `home` (Warden). Returns that URL and the prompts
 * the upstream showed, in order.
 */
export async function visitUpstream(
  browser: UpstreamBrowser,
  url: string,
  home: string,
  choices: UpstreamChoices = {},
): Promise<{ callback: string; prompts: string[] }> {
  const prompts: string[] = [];
  let current = new URL(url);
  let response = await browser.get(current.href);
  for (let step = 0; step < 20; step++) {
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      current = new URL(location, current);
      if (current.href.startsWith(home)) return { callback: current.href, prompts };
      response = await browser.get(current.href);
      continue;
    }
    const html = await response.text();
    const prompt = /data-prompt="(\w+)"/.exec(html)?.[1];
    if (response.status !== 200 || !prompt) throw new Error(`upstream answered ${response.status}: ${html}`);
    prompts.push(prompt);
    const action = choices.cancel ? 'abort' : prompt === 'login' ? 'login' : 'confirm';
    const form = new RegExp(`action="([^"]*/${action})"`).exec(html)?.[1];
    if (!form) throw new Error(`no ${action} form on the upstream's ${prompt} page`);
    response = await browser.post(new URL(form, current).href, { login: 'alice', password: 'anything' });
  }
  throw new Error('the upstream kept the browser for more than 20 steps');
}
