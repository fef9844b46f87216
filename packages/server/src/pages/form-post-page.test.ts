import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FormPostPage, formPostScript, formPostScriptHash } from './form-post-page.js';
import { findTags, hiddenInputs, visibleText } from './inspect-html.js';
import { renderPage } from './render.js';

const fields = { code: 'c0de', state: 'st"ate', iss: 'http://localhost:3000/' };
const html = renderPage(FormPostPage({ action: 'https://app.example/callback', fields }));

describe('FormPostPage', () => {
  it('posts exactly the response fields to the redirect URI', () => {
    expect(findTags(html, 'form')).toEqual([{ method: 'post', action: 'https://app.example/callback' }]);
    expect(hiddenInputs(html)).toEqual(fields);
  });

  it('has a visible Continue button for when the script is blocked', () => {
    expect(findTags(html, 'button')).toEqual([{ class: 'button button-primary', type: 'submit' }]);
    expect(visibleText(html)).toContain('Continue');
  });

  it('renders one script whose text matches the exported CSP hash', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]);
    expect(scripts).toEqual([formPostScript]);
    const digest = createHash('sha256').update(scripts[0]!).digest('base64');
    expect(formPostScriptHash).toBe(`'sha256-${digest}'`);
    expect(formPostScriptHash).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  });
});
