import { describe, expect, it } from 'vitest';
import { ConsentPage, type ConsentPageProps } from './consent-page.js';
import { csrfFieldName } from './hidden-fields.js';
import { findTags, hiddenInputs, visibleText } from './inspect-html.js';
import { renderPage } from './render.js';

const base: ConsentPageProps = {
  clientName: 'Dragons',
  userName: 'Alice Liddell',
  action: '/consent',
  csrfToken: 'csrf-c',
  hidden: { interaction: 'i-3' },
  scopes: [
    { name: 'email', description: 'See your email address' },
    { name: 'read:dragons', description: 'Read dragons' },
  ],
};
const render = (props: Partial<ConsentPageProps> = {}) => renderPage(ConsentPage({ ...base, ...props }));

describe('ConsentPage', () => {
  it('says which app asks and who is signed in', () => {
    const text = visibleText(render());
    expect(text).toContain('Dragons wants to access your Warden account');
    expect(text).toContain('Signed in as Alice Liddell');
  });

  it('lists every requested scope with its description', () => {
    const text = visibleText(render());
    expect(text).toContain(
      'This will allow Dragons to: See your email address email Read dragons read:dragons',
    );
  });

  it('names the API when one is requested', () => {
    expect(visibleText(render({ apiName: 'Dragons API' }))).toContain(
      'Dragons will use this access to call Dragons API on your behalf.',
    );
    expect(visibleText(render())).not.toContain('on your behalf');
  });

  it('offers Deny then Allow as two submit buttons named decision', () => {
    const html = render();
    expect(findTags(html, 'form')).toEqual([{ method: 'post', action: '/consent' }]);
    expect(findTags(html, 'button').map(({ type, name, value }) => ({ type, name, value }))).toEqual([
      { type: 'submit', name: 'decision', value: 'deny' },
      { type: 'submit', name: 'decision', value: 'allow' },
    ]);
    expect(hiddenInputs(html)).toEqual({ [csrfFieldName]: 'csrf-c', interaction: 'i-3' });
  });

  it('omits the list when no scope is requested', () => {
    const html = render({ scopes: [] });
    expect(html).not.toContain('<ul');
    expect(visibleText(html)).not.toContain('This will allow');
  });
});
