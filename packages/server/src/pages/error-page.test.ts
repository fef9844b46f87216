import { describe, expect, it } from 'vitest';
import { ErrorPage } from './error-page.js';
import { visibleText } from './inspect-html.js';
import { renderPage } from './render.js';

describe('ErrorPage', () => {
  it('shows a friendly heading for a known code, the description and the code', () => {
    const html = renderPage(
      ErrorPage({ error: 'invalid_client', description: 'No application has this client_id.' }),
    );
    expect(visibleText(html)).toContain(
      'This app is not recognised No application has this client_id. Error code: invalid_client',
    );
    expect(html).toContain('<title>This app is not recognised · Warden</title>');
  });

  it('falls back to a generic heading, and uses the given title when there is one', () => {
    const unknown = renderPage(ErrorPage({ error: 'weird_error', description: 'Try again.' }));
    expect(visibleText(unknown)).toContain('Something went wrong Try again.');
    const titled = renderPage(
      ErrorPage({ title: 'Link expired', error: 'invalid_request', description: 'Start again.' }),
    );
    expect(visibleText(titled)).toContain('Link expired Start again.');
  });
});
