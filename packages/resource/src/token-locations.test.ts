import { describe, expect, it } from 'vitest';
import { extractToken, isMissingToken, type RequestLike } from './token-locations.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

function failure(request: RequestLike, locations = ['header', 'body', 'query'] as const) {
  try {
    extractToken(request, locations);
  } catch (error) {
    return {
      error: (error as { error: string }).error,
      status: (error as { status: number }).status,
      missing: isMissingToken(error),
    };
  }
  throw new Error('a token was extracted');
}

describe('extractToken', () => {
  it.each([[`Bearer ${TOKEN}`], [`bearer ${TOKEN}`], [`BEARER   ${TOKEN}`], ['Bearer abc~+/==']])(
    'reads %s from the Authorization header',
    (value) => {
      expect(extractToken({ method: 'GET', headers: { authorization: value } }, ['header'])).toBe(
        value.split(/ +/)[1],
      );
    },
  );

  it('reads web Headers and header records alike, whatever the case of the name', () => {
    const headers = new Headers({ Authorization: `Bearer ${TOKEN}` });
    expect(extractToken({ method: 'GET', headers }, ['header'])).toBe(TOKEN);
    expect(extractToken({ method: 'GET', headers: { Authorization: `Bearer ${TOKEN}` } }, ['header'])).toBe(
      TOKEN,
    );
  });

  it.each([
    ['no header', {}],
    ['an empty header', { authorization: '' }],
    ['Basic credentials', { authorization: 'Basic YTpi' }],
    ['another scheme', { authorization: `DPoP ${TOKEN}` }],
  ])('treats %s as no token: 401 without error code', (_name, headers) => {
    expect(failure({ method: 'GET', headers })).toEqual({
      error: 'invalid_request',
      status: 401,
      missing: true,
    });
  });

  it.each([
    ['Bearer'],
    ['Bearer '],
    [`Bearer ${TOKEN} extra`],
    [`Bearer ${TOKEN}, Bearer ${TOKEN}`],
    ['Bearer "quoted"'],
    ['Bearer a\tb'],
  ])('refuses the malformed credential %j with 400', (value) => {
    expect(failure({ method: 'GET', headers: { authorization: value } })).toEqual({
      error: 'invalid_request',
      status: 400,
      missing: false,
    });
  });

  it('refuses two Authorization headers', () => {
    const headers = { authorization: [`Bearer ${TOKEN}`, `Bearer ${TOKEN}`] };
    expect(failure({ method: 'GET', headers }).status).toBe(400);
  });

  it('reads the query parameter only when it is enabled', () => {
    const query = new URLSearchParams({ access_token: TOKEN });
    expect(extractToken({ method: 'GET', headers: {}, query }, ['query'])).toBe(TOKEN);
    expect(failure({ method: 'GET', headers: {}, query }, ['header'] as never).missing).toBe(true);
    expect(extractToken({ method: 'GET', headers: {}, query: { access_token: TOKEN } }, ['query'])).toBe(
      TOKEN,
    );
  });

  it.each([
    [
      'repeated',
      new URLSearchParams([
        ['access_token', TOKEN],
        ['access_token', TOKEN],
      ]),
    ],
    ['repeated (record)', { access_token: [TOKEN, TOKEN] }],
    ['empty', new URLSearchParams({ access_token: '' })],
    ['an object', { access_token: { nested: TOKEN } }],
    ['not a b64token', new URLSearchParams({ access_token: 'a b' })],
  ])('refuses a query access_token that is %s', (_name, query) => {
    expect(failure({ method: 'GET', headers: {}, query }).status).toBe(400);
  });

  it('reads a form body of a POST', () => {
    expect(extractToken({ method: 'POST', headers: FORM, body: { access_token: TOKEN } }, ['body'])).toBe(
      TOKEN,
    );
  });

  it('ignores a body token on GET or without the form content type', () => {
    const body = { access_token: TOKEN };
    expect(failure({ method: 'GET', headers: FORM, body }).missing).toBe(true);
    expect(failure({ method: 'POST', headers: { 'content-type': 'application/json' }, body }).missing).toBe(
      true,
    );
  });

  it('refuses a token sent in two places', () => {
    const request: RequestLike = {
      method: 'POST',
      headers: { ...FORM, authorization: `Bearer ${TOKEN}` },
      body: { access_token: TOKEN },
      query: new URLSearchParams({ access_token: TOKEN }),
    };
    expect(failure(request)).toEqual({ error: 'invalid_request', status: 400, missing: false });
    expect(failure({ ...request, query: new URLSearchParams() }).status).toBe(400);
  });
});
