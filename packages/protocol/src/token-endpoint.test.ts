import { OAuthError } from '@warden/protocol';
import { describe, expect, it } from 'vitest';
import { processTokenResponse } from './token-endpoint.js';

const ok = { access_token: 'at', token_type: 'Bearer', expires_in: 600, id_token: 'id', refresh_token: 'rt' };

describe('processTokenResponse', () => {
  it('accepts a Bearer token response, token_type in any case', () => {
    expect(processTokenResponse(200, ok)).toEqual(ok);
    expect(processTokenResponse(200, { ...ok, token_type: 'bearer' }).access_token).toBe('at');
  });

  it("turns the idp's error into an OAuthError with its code, description and status", () => {
    const error = (() => {
      try {
        processTokenResponse(400, { error: 'invalid_grant', error_description: 'spent' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ error: 'invalid_grant', description: 'spent', status: 400 });
  });

  it('keeps an unregistered error code in the description', () => {
    expect(() => processTokenResponse(400, { error: 'weird_thing' })).toThrow(/invalid_request: weird_thing/);
  });

  it('gives server_error for an error without a body', () => {
    expect(() => processTokenResponse(502, undefined)).toThrow(/server_error/);
  });

  it.each([
    ['no access_token', { ...ok, access_token: undefined }],
    ['an empty access_token', { ...ok, access_token: '' }],
    ['another token_type', { ...ok, token_type: 'DPoP' }],
    ['no expires_in', { ...ok, expires_in: undefined }],
    ['a zero expires_in', { ...ok, expires_in: 0 }],
    ['a string expires_in', { ...ok, expires_in: '600' }],
    ['a non-string id_token', { ...ok, id_token: 42 }],
    ['a non-object body', 'text'],
  ])('refuses a success with %s', (_, body) => {
    expect(() => processTokenResponse(200, body)).toThrow(OAuthError);
  });
});
