import { describe, expect, it } from 'vitest';
import { type AnswerContext, expectSoundAnswer, expectWellFormedChallenge } from './check-answer.js';
import type { AnswerKind, Method } from './endpoints.js';

/** The fuzz suite's judge refuses what it must refuse (else the fuzz suite could not fail). */

function context(kind: AnswerKind, method: Method = 'GET'): AnswerContext {
  return {
    kind,
    method,
    issuerOrigin: 'http://localhost:3000',
    redirectTargets: new Set(['http://localhost:4200/callback']),
    logged: () => '',
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const html = (status: number, body: string, headers: Record<string, string> = {}) =>
  new Response(`<!doctype html><html><body>${body}</body></html>`, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  });
const errorPage = (code: string) => `<p class="error-code">Error code: <code>${code}</code></p>`;
const redirect = (location: string) => new Response(null, { status: 303, headers: { location } });

describe('the judge of fuzz answers', () => {
  it('accepts sound answers', async () => {
    await expectSoundAnswer(
      json(400, { error: 'invalid_request', error_description: 'no' }),
      context('json'),
    );
    await expectSoundAnswer(
      json(503, { error: 'temporarily_unavailable', error_description: 'busy' }),
      context('json'),
    );
    await expectSoundAnswer(html(400, errorPage('invalid_request')), context('page'));
    await expectSoundAnswer(
      html(401, '<div role="alert"><p>Wrong</p></div><form method="post" action="/u/login"></form>'),
      context('page', 'POST'),
    );
    await expectSoundAnswer(
      html(200, '<input type="text" value="&lt;x-fz&gt;&quot;&#39;" required=""/>'),
      context('page'),
    );
    await expectSoundAnswer(redirect('http://localhost:4200/callback?error=access_denied'), context('page'));
    await expectSoundAnswer(redirect('http://localhost:3000/u/login?interaction=x'), context('page'));
    await expectSoundAnswer(new Response(null, { status: 403 }), context('preflight', 'OPTIONS'));
  });

  it.each([
    ['a 500', json(500, { error: 'server_error', error_description: 'oops' }), context('json')],
    [
      'a 503 of another code',
      json(503, { error: 'invalid_request', error_description: 'x' }),
      context('json'),
    ],
    ['an unregistered error code', json(400, { error: 'bogus', error_description: 'x' }), context('json')],
    [
      'a stack trace in a description',
      json(400, { error: 'invalid_request', error_description: 'TypeError: at f (x.ts:1:2)' }),
      context('json'),
    ],
    [
      'extra members in an error',
      json(400, { error: 'invalid_request', error_description: 'x', detail: 'y' }),
      context('json'),
    ],
    [
      'a JSON refusal from a browser endpoint',
      json(400, { error: 'invalid_request', error_description: 'x' }),
      context('page'),
    ],
    ['an HTML page without a code or form', html(400, '<p>nope</p>'), context('page')],
    ['the marker as markup', html(200, '<p><x-fz>"\'</p>'), context('page')],
    ['a quote that closed an attribute', html(200, '<input value="a"\' onmouseover="x"/>'), context('page')],
    ['a redirect to an unregistered address', redirect('https://evil.example/callback'), context('page')],
    [
      'an unregistered error code in a redirect',
      redirect('http://localhost:4200/callback?error=oops'),
      context('page'),
    ],
    ['a preflight with a body', new Response('x', { status: 403 }), context('preflight', 'OPTIONS')],
    [
      'a broken challenge',
      json(
        401,
        { error: 'invalid_token', error_description: 'x' },
        { 'www-authenticate': 'Bearer realm="warden", error="invalid_token", error_description="a"b"' },
      ),
      context('json'),
    ],
  ])('refuses %s', async (_name, response, ctx) => {
    await expect(expectSoundAnswer(response, ctx)).rejects.toThrow();
  });

  it('reads challenges as RFC 6750 writes them', () => {
    expectWellFormedChallenge('Bearer realm="warden"');
    expectWellFormedChallenge(
      'Bearer realm="warden", error="insufficient_scope", error_description="x", scope="a b"',
    );
    expectWellFormedChallenge('Basic realm="warden"');
    expect(() => expectWellFormedChallenge('Bearer realm="warden", error="nope"')).toThrow();
    expect(() => expectWellFormedChallenge('Bearer realm="w\u00e9"')).toThrow();
    expect(() => expectWellFormedChallenge('Bearer error=invalid_token')).toThrow();
  });
});
