import type { JSX } from 'hono/jsx/jsx-runtime';

/**
 * Renders a page element (e.g. `LoginPage({...})`) to the HTML text of a response body, with the
 * doctype. Text and attribute values are escaped by Hono's JSX renderer, so user-supplied values
 * cannot add markup. Throws a `TypeError` if the element renders asynchronously (the hosted pages
 * never do). It does NOT set headers or build the `Response`.
 */
export function renderPage(node: JSX.Element): string {
  if (node instanceof Promise) {
    throw new TypeError('renderPage: node must render synchronously (no async components)');
  }
  return `<!doctype html>${String(node)}`;
}
