import { describe, expect, it } from 'vitest';
import { csrfFieldName } from './hidden-fields.js';
import { findTags, hiddenInputs, textOfElementWith, unlabelledInputs, visibleText } from './inspect-html.js';
import { renderPage } from './render.js';
import { SignupPage, type SignupPageProps } from './signup-page.js';

const base: SignupPageProps = {
  clientName: 'Dragons',
  action: '/signup',
  csrfToken: 'csrf-9',
  loginHref: '/login',
};
const render = (props: Partial<SignupPageProps> = {}) => renderPage(SignupPage({ ...base, ...props }));
const field = (html: string, name: string) => findTags(html, 'input').find((input) => input.name === name);

describe('SignupPage', () => {
  it('names the application and posts to the action with the CSRF token and carried fields', () => {
    const html = render({ hidden: { interaction: 'i-2' } });
    expect(visibleText(html)).toContain('Create your account to continue to Dragons');
    expect(findTags(html, 'form')).toEqual([{ method: 'post', action: '/signup' }]);
    expect(hiddenInputs(html)).toEqual({ [csrfFieldName]: 'csrf-9', interaction: 'i-2' });
  });

  it('asks for email, name and a new password of at least 8 characters, all labelled', () => {
    const html = render();
    expect(unlabelledInputs(html)).toEqual([]);
    expect(field(html, 'email')).toMatchObject({
      type: 'text',
      inputmode: 'email',
      autocomplete: 'email',
      required: '',
    });
    expect(field(html, 'name')).toMatchObject({ type: 'text', autocomplete: 'name' });
    expect(field(html, 'password')).toMatchObject({
      type: 'password',
      autocomplete: 'new-password',
      minlength: '8',
      'aria-describedby': 'password-hint',
    });
    expect(textOfElementWith(html, 'id', 'password-hint')).toBe('At least 8 characters.');
  });

  it('keeps the entered email and name after an error but never the password', () => {
    const html = render({ values: { email: 'a@example.com', name: 'Alice' }, error: 'That email is taken.' });
    expect(field(html, 'email')).toMatchObject({ value: 'a@example.com' });
    expect(field(html, 'name')).toMatchObject({ value: 'Alice' });
    expect(field(html, 'password')).not.toHaveProperty('value');
    expect(textOfElementWith(html, 'role', 'alert')).toBe('That email is taken.');
    expect(field(html, 'password')).toMatchObject({ 'aria-describedby': 'password-hint form-error' });
  });

  it('links back to sign in', () => {
    const html = render({ loginHref: '/login?interaction=i-2' });
    expect(findTags(html, 'a')).toEqual([{ href: '/login?interaction=i-2' }]);
    expect(visibleText(html)).toContain('Already have an account? Sign in');
  });
});
