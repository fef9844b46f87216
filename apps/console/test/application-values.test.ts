import { describe, expect, it } from 'vitest';
import { isConfidential, typesReachableFrom } from '../src/app/applications/app-types.js';
import { applicationInput, applicationValues } from '../src/app/applications/application-values.js';
import { formatUrlList, parseUrlList } from '../src/app/applications/url-list.js';

describe('the application form', () => {
  it('reads URLs one per line or separated by commas, blanks dropped', () => {
    expect(parseUrlList(' http://a.example/cb \n\nhttp://b.example/cb,http://c.example/cb , ')).toEqual([
      'http://a.example/cb',
      'http://b.example/cb',
      'http://c.example/cb',
    ]);
    expect(parseUrlList('   ')).toEqual([]);
    expect(formatUrlList(['http://a.example', 'http://b.example'])).toBe(
      'http://a.example\nhttp://b.example',
    );
  });

  it("sends the article's fields of an app users sign in to, and no URLs for a machine-to-machine one", () => {
    const values = {
      name: '  Dragons  ',
      type: 'spa' as const,
      callbacks: 'http://localhost:4200/callback',
      webOrigins: 'http://localhost:4200',
      logoutUrls: 'http://localhost:4200/',
    };
    expect(applicationInput(values)).toEqual({
      name: 'Dragons',
      app_type: 'spa',
      callbacks: ['http://localhost:4200/callback'],
      web_origins: ['http://localhost:4200'],
      allowed_logout_urls: ['http://localhost:4200/'],
    });
    expect(applicationInput({ ...values, type: 'non_interactive' })).toEqual({
      name: 'Dragons',
      app_type: 'non_interactive',
    });
  });

  it('fills the form from an application, and offers only the types the API lets it change to', () => {
    expect(applicationValues()).toEqual({
      name: '',
      type: 'spa',
      callbacks: '',
      webOrigins: '',
      logoutUrls: '',
    });
    expect(
      applicationValues({
        client_id: 'abc',
        name: 'Dragons Web',
        app_type: 'regular_web',
        callbacks: ['http://localhost:5000/callback', 'http://localhost:5001/callback'],
        web_origins: [],
        allowed_logout_urls: ['http://localhost:5000/'],
      }),
    ).toEqual({
      name: 'Dragons Web',
      type: 'regular_web',
      callbacks: 'http://localhost:5000/callback\nhttp://localhost:5001/callback',
      webOrigins: '',
      logoutUrls: 'http://localhost:5000/',
    });
    expect(isConfidential('regular_web')).toBe(true);
    expect(isConfidential('spa')).toBe(false);
    expect(typesReachableFrom('regular_web')).toEqual(['regular_web', 'non_interactive']);
    expect(typesReachableFrom('native')).toEqual(['spa', 'native']);
  });
});
