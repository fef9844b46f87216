import { describe, expect, it } from 'vitest';
import { wardenCss, wardenCssPath } from './styles.js';

describe('wardenCss', () => {
  it('is served from a same-origin path', () => {
    expect(wardenCssPath).toBe('/assets/warden.css');
  });

  it('fetches nothing: no imports, fonts or remote URLs', () => {
    expect(wardenCss).not.toMatch(/@import|@font-face|url\(/i);
  });

  it('has a dark scheme, visible focus and a narrow-screen layout', () => {
    expect(wardenCss).toContain('@media (prefers-color-scheme: dark)');
    expect(wardenCss).toMatch(/:focus-visible \{\s*outline: 3px solid/);
    expect(wardenCss).toContain('@media (max-width: 30rem)');
  });

  it('has balanced braces', () => {
    expect(wardenCss.split('{').length).toBe(wardenCss.split('}').length);
  });
});
