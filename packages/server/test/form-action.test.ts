import { describe, expect, it } from 'vitest';
import { authorizeAndSignIn, openLogin, spaRequest } from './browser-helpers.js';
import { Browser, spaOrigin, useTestServer } from './harness.js';
import { spaTokens } from './token-helpers.js';

// Browsers apply CSP `form-action` to the redirects that follow a form post (Chromium blocks the
// navigation otherwise), so every hosted form that ends at an application must allow exactly that
// application's origin besides the idp itself.

const t = useTestServer({ scope: 'all' });

function formAction(response: Response): string[] {
  const csp = response.headers.get('content-security-policy') ?? '';
  const directive = csp
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('form-action '));
  return directive?.split(' ').slice(1) ?? [];
}

describe('hosted forms may end at the application that asked, and nowhere else', () => {
  it('the login and sign-up pages allow the callback origin of the pending request', async () => {
    const { page, fields, browser } = await openLogin(t());
    expect(formAction(page)).toEqual(["'self'", spaOrigin]);
    const signup = await browser.get(`/u/signup?interaction=${encodeURIComponent(fields.interaction!)}`);
    expect(signup.status).toBe(200);
    expect(formAction(signup)).toEqual(["'self'", spaOrigin]);
  });

  it("the consent page allows the third-party app's callback origin", async () => {
    const browser = new Browser(t());
    const request = await spaRequest(t(), {
      client_id: t().thirdParty,
      redirect_uri: 'https://fans.example/callback',
    });
    const redirect = await authorizeAndSignIn(browser, t(), request.url);
    const consent = await browser.get(redirect.headers.get('location')!);
    expect(await consent.text()).toContain('name="decision" value="allow"');
    expect(formAction(consent)).toEqual(["'self'", 'https://fans.example']);
  });

  it('the sign-out question allows the post-logout redirect origin, and only the idp without one', async () => {
    const { browser } = await spaTokens(t());
    const withReturn = await browser.get(
      `/logout?client_id=${t().spa}&post_logout_redirect_uri=${encodeURIComponent(`${spaOrigin}/`)}`,
    );
    expect(await withReturn.text()).toContain('Sign out of Warden?');
    expect(formAction(withReturn)).toEqual(["'self'", spaOrigin]);
    const bare = await browser.get('/logout');
    expect(await bare.text()).toContain('Sign out of Warden?');
    expect(formAction(bare)).toEqual(["'self'"]);
  });
});
