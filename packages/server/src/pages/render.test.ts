import type { JSX } from 'hono/jsx/jsx-runtime';
import { describe, expect, it } from 'vitest';
import { ConsentPage } from './consent-page.js';
import { ErrorPage } from './error-page.js';
import { FormPostPage } from './form-post-page.js';
import { findTags, hiddenInputs, visibleText } from './inspect-html.js';
import { LoginPage } from './login-page.js';
import { LoggedOutPage, LogoutPage } from './logout-page.js';
import { renderPage } from './render.js';
import { SignupPage } from './signup-page.js';

const evil = '<script>alert(1)</script>';
const evilQuote = `x" autofocus onfocus="alert(1)' <img src=x>`;
const hidden = { interaction: evilQuote };
const common = { action: '/go?a=1&b=2', csrfToken: evilQuote, hidden };

/** Every page, rendered with hostile values wherever a caller passes text. */
const pages: Record<string, string> = {
  login: renderPage(
    LoginPage({
      ...common,
      clientName: evil,
      login: evilQuote,
      error: evil,
      notice: evil,
      signupHref: evilQuote,
    }),
  ),
  signup: renderPage(
    SignupPage({
      ...common,
      clientName: evil,
      values: { email: evilQuote, name: evil },
      error: evil,
      loginHref: evilQuote,
    }),
  ),
  consent: renderPage(
    ConsentPage({
      ...common,
      clientName: evil,
      userName: evil,
      apiName: evil,
      scopes: [{ name: evil, description: evil }],
    }),
  ),
  logout: renderPage(LogoutPage({ ...common, clientName: evil, userName: evil })),
  loggedOut: renderPage(LoggedOutPage({ clientName: evil, returnHref: evilQuote })),
  error: renderPage(ErrorPage({ title: evil, error: evil, description: evil })),
  formPost: renderPage(FormPostPage({ action: evilQuote, fields: { state: evilQuote, code: evil } })),
};

/** The names of all attributes on all elements of `html`. */
function allAttributes(html: string): string[] {
  return findTags(html, '[a-z][a-z0-9-]*').flatMap((attributes) => Object.keys(attributes));
}

describe('renderPage', () => {
  it('prefixes the doctype', () => {
    expect(pages.login!.startsWith('<!doctype html><html lang="en"')).toBe(true);
  });

  it('refuses an element that renders asynchronously', () => {
    const pending = Promise.resolve('') as unknown as JSX.Element;
    expect(() => renderPage(pending)).toThrow(TypeError);
  });
});

describe.each(Object.entries(pages))('the %s page', (name, html) => {
  it('escapes hostile text: it shows as text and adds no element or attribute', () => {
    expect(html).not.toContain(evil);
    expect(findTags(html, 'img')).toEqual([]);
    const attributes = allAttributes(html);
    expect(attributes.filter((attribute) => attribute.startsWith('on'))).toEqual([]);
    if (name !== 'formPost') expect(visibleText(html)).toContain(evil);
  });

  it('carries hostile hidden values through unchanged', () => {
    const fields = hiddenInputs(html);
    if (name === 'formPost') expect(fields).toEqual({ state: evilQuote, code: evil });
    else if (name === 'loggedOut' || name === 'error') expect(fields).toEqual({});
    else expect(fields).toMatchObject({ csrf_token: evilQuote, interaction: evilQuote });
  });

  it('has no inline styles and no script (except the form post page)', () => {
    expect(html).not.toMatch(/\sstyle=/i);
    expect(allAttributes(html)).not.toContain('style');
    expect(findTags(html, 'style')).toEqual([]);
    const scripts = html.match(/<script/gi) ?? [];
    expect(scripts).toHaveLength(name === 'formPost' ? 1 : 0);
  });
});
