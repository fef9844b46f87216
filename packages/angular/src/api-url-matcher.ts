import type { ApiUrlMatcher } from './warden-config.js';

interface Prefix {
  origin: string;
  /** The path the request's path must equal or continue below (segment boundary). */
  path: string;
}

/**
 * Builds the test `authInterceptor` applies to each request URL. Each entry is a bare origin
 * (`https://api.example.com`: every path on it) or a URL prefix (`https://api.example.com/api/`:
 * that path and below, on a segment boundary, so `/api` does not match `/apiary`). The request
 * URL is resolved and normalised first (`/api/../admin` is `/admin`). Scheme, host and port must
 * match exactly. Throws `TypeError` naming `apiUrls` for an entry that is not an absolute
 * http(s) URL, or that has a query or fragment.
 */
export function createApiUrlMatcher(entries: readonly string[]): ApiUrlMatcher {
  if (!Array.isArray(entries)) throw new TypeError('apiUrls must be an array of URLs');
  const prefixes = entries.map(readPrefix);
  return (url, base) => {
    let target: URL;
    try {
      target = new URL(url, base);
    } catch {
      return false;
    }
    return prefixes.some(
      ({ origin, path }) =>
        target.origin === origin &&
        (path === '/' || target.pathname === path || target.pathname.startsWith(`${path}/`)),
    );
  };
}

function readPrefix(entry: unknown): Prefix {
  let url: URL | undefined;
  try {
    url = typeof entry === 'string' ? new URL(entry) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(`apiUrls: "${String(entry)}" is not an absolute http(s) URL`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError(`apiUrls: "${String(entry)}" must not have a query, fragment or credentials`);
  }
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : '/';
  return { origin: url.origin, path };
}
