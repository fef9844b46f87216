import { OAuthError } from '@warden/protocol/core';
import type { BffApi } from './bff-options.js';

/** Request headers passed on to the API; everything else (cookies first of all) stays behind. */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'range',
  'user-agent',
];

/** Response headers never passed back: hop-by-hop ones, cookies, and the encoding `fetch` already undid. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'content-encoding',
  'content-length',
  'keep-alive',
  'set-cookie',
  'transfer-encoding',
  'upgrade',
]);

/** An encoded dot, slash or backslash could climb out of the prefix at the API's router. */
const ESCAPING_PATH = /%2e|%2f|%5c|\\/i;

export interface ProxyOptions {
  fetch: typeof globalThis.fetch;
  /** Milliseconds to wait for the API's answer (default 30 s). */
  timeout?: number;
}

/**
 * Forwards `request` (under `api.prefix`) to the matching URL under `api.target` with the access
 * token as a bearer credential and returns the API's answer. Only the headers in an allow-list
 * travel (never the browser's cookies or an `Authorization` it sent); the API's `Set-Cookie`
 * never reaches the browser. Throws `OAuthError`: `invalid_request` for a path that could escape
 * the prefix, `temporarily_unavailable` (502/504) when the API cannot be reached in time.
 */
export async function forwardToApi(
  request: Request,
  api: BffApi,
  accessToken: string,
  options: ProxyOptions,
): Promise<Response> {
  const url = new URL(request.url);
  const rest = url.pathname.slice(api.prefix.length);
  if (ESCAPING_PATH.test(rest)) throw new OAuthError('invalid_request', 'the path is not allowed');
  const headers = new Headers({ authorization: `Bearer ${accessToken}` });
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body !== null;
  let answer: Response;
  try {
    answer = await options.fetch(`${api.target}${rest}${url.search}`, {
      method: request.method,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeout ?? 30_000),
      ...(hasBody && { body: request.body, duplex: 'half' }),
    } as RequestInit);
  } catch (cause) {
    const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
    throw new OAuthError(
      'temporarily_unavailable',
      timedOut ? 'the API did not answer in time' : 'the API cannot be reached',
      {
        status: timedOut ? 504 : 502,
        cause,
      },
    );
  }
  const responseHeaders = new Headers();
  for (const [name, value] of answer.headers) {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders.append(name, value);
  }
  if (!responseHeaders.has('cache-control')) responseHeaders.set('cache-control', 'no-store');
  return new Response(answer.body, {
    status: answer.status,
    statusText: answer.statusText,
    headers: responseHeaders,
  });
}
