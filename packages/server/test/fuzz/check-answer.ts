import { OAUTH_ERROR_CODES } from '@warden/protocol';
import { expect } from 'vitest';
import { stackTrace } from '../expect-refusal.js';
import type { AnswerKind, Method } from './endpoints.js';

/** What an answer is judged against. */
export interface AnswerContext {
  kind: AnswerKind;
  method: Method;
  /** The issuer's origin: hosted pages may redirect there. */
  issuerOrigin: string;
  /** The registered redirect URIs and logout URLs (origin and path): the only other places a redirect may go. */
  redirectTargets: ReadonlySet<string>;
  /** What the server logged as an unexpected error while answering, to explain a 5xx. */
  logged: () => string;
}

const codes: ReadonlySet<string> = new Set(OAUTH_ERROR_CODES);

/**
 * The properties every answer of the authorization server has, whatever was sent:
 * - never a 5xx, except a deliberate 503 `temporarily_unavailable`;
 * - never a stack trace or internal detail in the body;
 * - a `WWW-Authenticate` header, when present, is a well-formed challenge (`expectWellFormedChallenge`);
 * - a redirect goes to the issuer or to a registered redirect URI or logout URL, and an `error`
 *   it carries to the client is a registered code;
 * - a 4xx from a protocol endpoint is OAuth JSON with a registered code and a description only;
 * - a 4xx from a browser endpoint is HTML: the error page with a registered code, or the form
 *   again with an alert;
 * - HTML never holds generated input unescaped (`expectEscapedHtml`);
 * - a CORS preflight is 204 or 403 with no body; health and the stylesheet are 200.
 * It does NOT check that an answer is the right one for a good request: the other suites do.
 */
export async function expectSoundAnswer(response: Response, context: AnswerContext): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('text/event-stream')) {
    // The revocation feed streams until the client leaves.
    expect(response.status).toBe(200);
    await response.body?.cancel();
    return;
  }
  const body = await response.text();
  const what = () =>
    `${context.method} answered ${response.status}: ${body.slice(0, 400)}${context.logged()}`;
  if (response.status >= 500) {
    expect(
      response.status === 503 && parseJson(body)?.error === 'temporarily_unavailable',
      `a 5xx for bad input: ${what()}`,
    ).toBe(true);
  }
  expect(body, what()).not.toMatch(stackTrace);
  const challenge = response.headers.get('www-authenticate');
  if (challenge !== null) expectWellFormedChallenge(challenge);
  if (response.status >= 300 && response.status < 400) expectSafeRedirect(response, context);
  if (type.startsWith('text/html')) expectEscapedHtml(body);
  if (context.method === 'HEAD') {
    expect(body, what()).toBe('');
    return;
  }
  switch (context.kind) {
    case 'preflight':
      expect([204, 403], what()).toContain(response.status);
      expect(body, what()).toBe('');
      return;
    case 'static':
      expect(response.status, what()).toBe(200);
      return;
    case 'json':
      if (response.status >= 400) expectOAuthJson(body, type, what);
      else if (type.startsWith('application/json')) expect(parseJson(body), what()).toBeTypeOf('object');
      return;
    case 'page':
      if (response.status >= 400) expectHtmlRefusal(response, body, type, what);
  }
}

/** OAuth JSON (RFC 6749 §5.2): a registered `error` and an `error_description` without internals, nothing else. */
function expectOAuthJson(body: string, type: string, what: () => string): void {
  expect(type, what()).toMatch(/^application\/json/);
  const json = parseJson(body);
  expect(json, what()).toBeTypeOf('object');
  expect(codes.has(String(json?.error)), what()).toBe(true);
  expect(json?.error_description, what()).toBeTypeOf('string');
  expect(json?.error_description, what()).not.toMatch(stackTrace);
  expect(Object.keys(json ?? {}).sort(), what()).toEqual(['error', 'error_description']);
}

/** The error page (a registered code in small print) or a form shown again with an alert; never a redirect. */
function expectHtmlRefusal(response: Response, body: string, type: string, what: () => string): void {
  expect(type, what()).toMatch(/^text\/html/);
  expect(response.headers.get('location'), what()).toBeNull();
  const code = /Error code: <code>([a-z_]+)<\/code>/.exec(body)?.[1];
  if (code !== undefined) expect(codes.has(code), what()).toBe(true);
  else expect(body, what()).toMatch(/<form [^>]*method="post"[\s\S]*role="alert"|role="alert"[\s\S]*<form /);
}

/**
 * No generated input in the HTML unescaped: the marker's `<x-fz` never appears as markup, and
 * every start tag is well-formed (double-quoted attribute values without `"` or `<`), so no quote
 * from input closed an attribute.
 */
export function expectEscapedHtml(html: string): void {
  expect(html.includes('<x-fz'), `the page shows generated input unescaped: ${excerpt(html, '<x-fz')}`).toBe(
    false,
  );
  const startTag = /<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<]*")?)*\s*\/?>/y;
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    const next = html[at + 1] ?? '';
    if (next === '/' || next === '!') continue;
    startTag.lastIndex = at;
    expect(startTag.test(html), `a malformed tag: ${html.slice(at, at + 200)}`).toBe(true);
  }
}

/**
 * A `WWW-Authenticate` value is one well-formed challenge: `Bearer` or `Basic`, then `name="value"`
 * pairs whose values are printable ASCII without `"` or `\` (no input smuggled in with quotes, CR
 * or LF), an `error` that is a registered code.
 */
export function expectWellFormedChallenge(challenge: string): void {
  const shape =
    /^(Bearer|Basic) [a-z_]+="[\x20\x21\x23-\x5b\x5d-\x7e]*"(?:, [a-z_]+="[\x20\x21\x23-\x5b\x5d-\x7e]*")*$/;
  expect(challenge, 'a malformed WWW-Authenticate').toMatch(shape);
  const error = /error="([^"]*)"/.exec(challenge)?.[1];
  if (error !== undefined) expect(codes.has(error), `WWW-Authenticate names "${error}"`).toBe(true);
}

/** A redirect goes to the issuer or to a registered address, never to one taken from input. */
function expectSafeRedirect(response: Response, context: AnswerContext): void {
  const location = response.headers.get('location');
  expect(location, `a ${response.status} without Location`).not.toBeNull();
  const url = new URL(location!, context.issuerOrigin);
  const target = `${url.origin}${url.pathname}`;
  expect(
    url.origin === context.issuerOrigin || context.redirectTargets.has(target),
    `a redirect to an unregistered address: ${location}`,
  ).toBe(true);
  for (const params of [url.searchParams, new URLSearchParams(url.hash.slice(1))]) {
    const error = params.get('error');
    if (error !== null) expect(codes.has(error), `a redirect with error=${error}`).toBe(true);
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function excerpt(text: string, needle: string): string {
  const at = text.indexOf(needle);
  return text.slice(Math.max(0, at - 120), at + 120);
}
