import type { Page } from '@playwright/test';

/**
 * Every URL the page's main frame lands on from now on (redirects included), so a test can say
 * what the user was, or was not, shown.
 */
export function recordNavigations(page: Page): string[] {
  const seen: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) seen.push(frame.url());
  });
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) seen.push(request.url());
  });
  return seen;
}
