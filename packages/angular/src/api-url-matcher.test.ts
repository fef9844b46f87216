import { describe, expect, it } from 'vitest';
import { createApiUrlMatcher } from './api-url-matcher.js';

const base = 'http://localhost:4200/profile';

describe('createApiUrlMatcher', () => {
  it('matches a URL prefix on a segment boundary, after normalising the path', () => {
    const isApi = createApiUrlMatcher(['http://localhost:3001/api/']);
    expect(isApi('http://localhost:3001/api/dragons', base)).toBe(true);
    expect(isApi('http://localhost:3001/api', base)).toBe(true);
    expect(isApi('http://localhost:3001/apiary', base)).toBe(false);
    expect(isApi('http://localhost:3001/api/../admin', base)).toBe(false);
    expect(isApi('http://localhost:3001/health', base)).toBe(false);
  });

  it('needs the exact origin: scheme, host and port', () => {
    const isApi = createApiUrlMatcher(['http://localhost:3001']);
    expect(isApi('http://localhost:3001/anything', base)).toBe(true);
    expect(isApi('https://localhost:3001/anything', base)).toBe(false);
    expect(isApi('http://localhost:3000/oauth/token', base)).toBe(false);
    expect(isApi('http://localhost:3001.evil.example/api/', base)).toBe(false);
    expect(isApi('http://evil.example/http://localhost:3001/', base)).toBe(false);
  });

  it('resolves relative URLs against the page, which is not an API', () => {
    const isApi = createApiUrlMatcher(['http://localhost:3001/api/']);
    expect(isApi('/api/dragons', base)).toBe(false);
    expect(isApi('//localhost:3001/api/dragons', base)).toBe(true);
  });

  it('matches nothing when no URL is configured', () => {
    expect(createApiUrlMatcher([])('http://localhost:3001/api/dragons', base)).toBe(false);
  });

  it('refuses entries that are not absolute http(s) URLs', () => {
    expect(() => createApiUrlMatcher(['/api/'])).toThrow(/apiUrls/);
    expect(() => createApiUrlMatcher(['ftp://localhost/'])).toThrow(/apiUrls/);
    expect(() => createApiUrlMatcher(['http://localhost:3001/api/?x=1'])).toThrow(/apiUrls/);
  });
});
