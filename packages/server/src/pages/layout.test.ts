import { describe, expect, it } from 'vitest';
import { findTags, visibleText } from './inspect-html.js';
import { Layout } from './layout.js';
import { renderPage } from './render.js';
import { wardenCssPath } from './styles.js';

const html = renderPage(Layout({ title: 'Sign in', children: 'hello' }));

describe('Layout', () => {
  it('declares the language, charset, a mobile viewport and the title', () => {
    expect(html).toMatch(/^<!doctype html><html lang="en"/);
    expect(findTags(html, 'meta')).toEqual(
      expect.arrayContaining([
        { charset: 'utf-8' },
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'color-scheme', content: 'light dark' },
      ]),
    );
    expect(html).toContain('<title>Sign in · Warden</title>');
  });

  it('sends no referrer and asks not to be indexed', () => {
    expect(findTags(html, 'meta')).toEqual(
      expect.arrayContaining([
        { name: 'referrer', content: 'no-referrer' },
        { name: 'robots', content: 'noindex, nofollow' },
      ]),
    );
  });

  it('loads only the Warden stylesheet and an inline icon, nothing from another origin', () => {
    const links = findTags(html, 'link');
    expect(links).toContainEqual({ rel: 'stylesheet', href: wardenCssPath });
    for (const link of links) expect(link.href).toMatch(/^(\/(?!\/)|data:image\/svg\+xml,)/);
    expect(html).not.toMatch(/\ssrc=/);
  });

  it('shows the product name around the content', () => {
    expect(visibleText(html)).toBe('Warden hello Secured by Warden');
    expect(html).toContain('<main class="card">hello</main>');
  });
});
