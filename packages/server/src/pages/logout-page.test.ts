import { describe, expect, it } from 'vitest';
import { csrfFieldName } from './hidden-fields.js';
import { findTags, hiddenInputs, visibleText } from './inspect-html.js';
import { LoggedOutPage, LogoutPage } from './logout-page.js';
import { renderPage } from './render.js';

describe('LogoutPage', () => {
  const base = { action: '/logout', csrfToken: 'csrf-l', hidden: { id_token_hint: 'eyJ', state: 's' } };

  it('asks for confirmation with Cancel then Sign out, posting the CSRF token and carried fields', () => {
    const html = renderPage(LogoutPage(base));
    expect(visibleText(html)).toContain('Sign out of Warden?');
    expect(findTags(html, 'form')).toEqual([{ method: 'post', action: '/logout' }]);
    expect(findTags(html, 'button').map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'decision', value: 'cancel' },
      { name: 'decision', value: 'confirm' },
    ]);
    expect(hiddenInputs(html)).toEqual({ [csrfFieldName]: 'csrf-l', id_token_hint: 'eyJ', state: 's' });
  });

  it('names the signed-in user and the asking app when known', () => {
    const text = visibleText(renderPage(LogoutPage({ ...base, clientName: 'Dragons', userName: 'Alice' })));
    expect(text).toContain('You are signed in as Alice.');
    expect(text).toContain('Dragons asked to end your Warden session.');
    const bare = visibleText(renderPage(LogoutPage(base)));
    expect(bare).not.toContain('signed in as');
    expect(bare).not.toContain('asked to end');
  });
});

describe('LoggedOutPage', () => {
  it('confirms the sign-out without any form', () => {
    const html = renderPage(LoggedOutPage());
    expect(visibleText(html)).toContain('You are signed out');
    expect(html).not.toContain('<form');
    expect(findTags(html, 'a')).toEqual([]);
  });

  it('links back to the app when given a return address', () => {
    const html = renderPage(LoggedOutPage({ clientName: 'Dragons', returnHref: 'http://localhost:4200/' }));
    expect(findTags(html, 'a')).toEqual([
      { class: 'button button-secondary', href: 'http://localhost:4200/' },
    ]);
    expect(visibleText(html)).toContain('Return to Dragons');
  });
});
