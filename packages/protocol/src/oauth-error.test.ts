import { describe, expect, test } from 'vitest';
import {
  defaultStatusFor,
  isOAuthError,
  OAUTH_ERROR_CODES,
  OAuthError,
  toOAuthErrorBody,
} from './oauth-error.js';

describe('OAuthError', () => {
  test.each([
    ['invalid_client', 401],
    ['invalid_token', 401],
    ['insufficient_scope', 403],
    ['server_error', 500],
    ['temporarily_unavailable', 503],
    ['invalid_request', 400],
    ['invalid_grant', 400],
    ['slow_down', 400],
  ] as const)('%s defaults to HTTP %i', (code, status) => {
    expect(new OAuthError(code, 'x').status).toBe(status);
    expect(defaultStatusFor(code)).toBe(status);
  });

  test('carries code, description, status override, scope and a private cause', () => {
    const cause = new Error('db down');
    const err = new OAuthError('insufficient_scope', 'needs read:orders', {
      status: 403,
      cause,
      scope: 'read:orders',
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('OAuthError');
    expect(err.error).toBe('insufficient_scope');
    expect(err.description).toBe('needs read:orders');
    expect(err.scope).toBe('read:orders');
    expect(err.cause).toBe(cause);
    expect(err.message).toBe('insufficient_scope: needs read:orders');
    expect(new OAuthError('invalid_client', 'unknown client', { status: 400 }).status).toBe(400);
  });

  test('refuses unknown codes and impossible statuses (caller misuse)', () => {
    // @ts-expect-error not a registered code
    expect(() => new OAuthError('too_many_requests', 'x')).toThrow(TypeError);
    expect(() => new OAuthError('invalid_request', 'x', { status: 200 })).toThrow(/options\.status/);
    expect(() => new OAuthError('invalid_request', 'x', { status: 400.5 })).toThrow(TypeError);
  });

  test('lists every registered code once', () => {
    expect(new Set(OAUTH_ERROR_CODES).size).toBe(OAUTH_ERROR_CODES.length);
    expect(OAUTH_ERROR_CODES).toContain('invalid_target');
    expect(OAUTH_ERROR_CODES).not.toContain('too_many_requests');
  });
});

describe('isOAuthError', () => {
  test('is true only for OAuthError instances', () => {
    expect(isOAuthError(new OAuthError('invalid_request', 'x'))).toBe(true);
    expect(isOAuthError(new Error('invalid_request'))).toBe(false);
    expect(isOAuthError({ error: 'invalid_request', description: 'x', status: 400 })).toBe(false);
    expect(isOAuthError(undefined)).toBe(false);
  });
});

describe('toOAuthErrorBody', () => {
  test('renders code and description, never the cause', () => {
    const err = new OAuthError('invalid_grant', 'code expired', { cause: new Error('secret detail') });
    const body = toOAuthErrorBody(err);
    expect(body).toEqual({ error: 'invalid_grant', error_description: 'code expired' });
    expect(JSON.stringify(body)).not.toContain('secret detail');
  });

  test('keeps error_description to the characters RFC 6749 allows', () => {
    const err = new OAuthError('invalid_request', 'bad "x" \\ é\r\nSet-Cookie: a=b');
    expect(toOAuthErrorBody(err).error_description).toBe("bad 'x' / ???Set-Cookie: a=b");
  });

  test('turns anything else into a generic server_error', () => {
    const body = toOAuthErrorBody(new Error('password=hunter2'));
    expect(body.error).toBe('server_error');
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });
});
