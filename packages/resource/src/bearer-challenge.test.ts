import { OAuthError } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { bearerChallenge, toBearerErrorResponse } from './bearer-challenge.js';
import { extractToken } from './token-locations.js';

function missingTokenError(): OAuthError {
  try {
    extractToken({ method: 'GET', headers: {} }, ['header']);
  } catch (error) {
    return error as OAuthError;
  }
  throw new Error('unreachable');
}

describe('bearerChallenge', () => {
  it('gives only the realm when no token was sent (RFC 6750 §3.1)', () => {
    expect(bearerChallenge(undefined, 'dragons')).toBe('Bearer realm="dragons"');
    expect(bearerChallenge(missingTokenError(), 'dragons')).toBe('Bearer realm="dragons"');
  });

  it('names the error and its description', () => {
    expect(bearerChallenge(new OAuthError('invalid_token', 'the token has expired'), 'dragons')).toBe(
      'Bearer realm="dragons", error="invalid_token", error_description="the token has expired"',
    );
  });

  it('adds the scope an insufficient_scope error names', () => {
    const error = new OAuthError('insufficient_scope', 'needs write', { scope: 'write:dragons admin' });
    expect(bearerChallenge(error, 'dragons')).toBe(
      'Bearer realm="dragons", error="insufficient_scope", error_description="needs write", scope="write:dragons admin"',
    );
  });

  it('keeps quotes, backslashes and control characters out of the quoted strings', () => {
    const error = new OAuthError('invalid_token', 'bad "kid" \\ \r\n here', { scope: 'a"b' });
    const challenge = bearerChallenge(error, 'dragons');
    expect(challenge).toBe(
      `Bearer realm="dragons", error="invalid_token", error_description="bad 'kid' / ?? here", scope="a'b"`,
    );
  });

  it('refuses a realm that cannot be quoted', () => {
    expect(() => bearerChallenge(undefined, 'a"b')).toThrow(TypeError);
  });
});

describe('toBearerErrorResponse', () => {
  it('answers an OAuth error with its status, JSON body, no-store and a challenge', () => {
    const answer = toBearerErrorResponse(new OAuthError('invalid_token', 'unexpected aud'), 'dragons');
    expect(answer).toEqual({
      status: 401,
      headers: {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        'www-authenticate':
          'Bearer realm="dragons", error="invalid_token", error_description="unexpected aud"',
      },
      body: { error: 'invalid_token', error_description: 'unexpected aud' },
    });
  });

  it('never renders the private cause', () => {
    const error = new OAuthError('invalid_token', 'invalid signature', { cause: new Error('secret detail') });
    expect(JSON.stringify(toBearerErrorResponse(error, 'dragons'))).not.toContain('secret detail');
  });

  it('sends no challenge with a 503', () => {
    const answer = toBearerErrorResponse(
      new OAuthError('temporarily_unavailable', 'keys unavailable', { status: 503 }),
      'dragons',
    );
    expect(answer.status).toBe(503);
    expect(answer.headers['www-authenticate']).toBeUndefined();
  });

  it('turns anything else into a generic 500', () => {
    const answer = toBearerErrorResponse(new Error('database password is hunter2'), 'dragons');
    expect(answer.status).toBe(500);
    expect(answer.body.error).toBe('server_error');
    expect(JSON.stringify(answer)).not.toContain('hunter2');
  });
});
