import { describe, expect, it } from 'vitest';
import { csrfFieldName } from './hidden-fields.js';
import { findTags, hiddenInputs, textOfElementWith, unlabelledInputs, visibleText } from './inspect-html.js';
import { LoginPage, type LoginPageProps } from './login-page.js';
import { renderPage } from './render.js';

const base: LoginPageProps = { clientName: 'Dragons', action: '/login', csrfToken: 'csrf-123' };
const render = (props: Partial<LoginPageProps> = {}) => renderPage(LoginPage({ ...base, ...props }));

describe('LoginPage', () => {
  it('says which application the user signs in to', () => {
    const html = render();
    expect(visibleText(html)).toContain('Sign in to continue to Dragons');
    expect(html).toContain('<title>Sign in · Warden</title>');
  });

  it('posts the credentials, the CSRF token and the carried fields to the action', () => {
    const html = render({ hidden: { interaction: 'i-1', ui_locales: 'en' } });
    expect(findTags(html, 'form')).toEqual([{ method: 'post', action: '/login' }]);
    expect(hiddenInputs(html)).toEqual({ [csrfFieldName]: 'csrf-123', interaction: 'i-1', ui_locales: 'en' });
    const names = findTags(html, 'input').map((input) => input.name);
    expect(names).toEqual(expect.arrayContaining(['login', 'password']));
  });

  it('labels every field and lets password managers fill them', () => {
    const html = render();
    expect(unlabelledInputs(html)).toEqual([]);
    const [login, password] = findTags(html, 'input').filter((input) => input.type !== 'hidden');
    expect(login).toMatchObject({ id: 'login', autocomplete: 'username', required: '' });
    expect(password).toMatchObject({ id: 'password', type: 'password', autocomplete: 'current-password' });
    expect(visibleText(html)).toContain('Email or username');
    expect(findTags(html, 'button')).toEqual([{ class: 'button button-primary', type: 'submit' }]);
    expect(visibleText(html)).toContain('Continue');
  });

  it('keeps the login after a failed attempt and focuses the password instead', () => {
    const html = render({ login: 'alice@example.com', error: 'Wrong email, username or password.' });
    const [login, password] = findTags(html, 'input').filter((input) => input.type !== 'hidden');
    expect(login).toMatchObject({ value: 'alice@example.com' });
    expect(login).not.toHaveProperty('autofocus');
    expect(password).toHaveProperty('autofocus');
    expect(password).not.toHaveProperty('value');
  });

  it('announces an error in an alert region tied to the fields', () => {
    const html = render({ error: 'Wrong email, username or password.' });
    expect(textOfElementWith(html, 'role', 'alert')).toBe('Wrong email, username or password.');
    const password = findTags(html, 'input').find((input) => input.name === 'password');
    expect(password).toMatchObject({ 'aria-describedby': 'form-error', 'aria-invalid': 'true' });
  });

  it('shows no alert and no status region when there is nothing to say', () => {
    const html = render();
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain('role="status"');
  });

  it('shows a notice in a status region', () => {
    const html = render({ notice: 'Your account was created.' });
    expect(textOfElementWith(html, 'role', 'status')).toBe('Your account was created.');
  });

  it('links to signup only when signup is enabled', () => {
    expect(findTags(render({ signupHref: '/signup?interaction=i-1' }), 'a')).toEqual([
      { href: '/signup?interaction=i-1' },
    ]);
    expect(findTags(render({ signupHref: null }), 'a')).toEqual([]);
    expect(findTags(render(), 'a')).toEqual([]);
  });
});
