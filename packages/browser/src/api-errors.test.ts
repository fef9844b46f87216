import { describe, expect, it } from 'vitest';
import { apiError, readBearerChallenge } from './api-errors.js';

describe('readBearerChallenge', () => {
  it('reads quoted and token parameters of a Bearer challenge', () => {
    expect(
      readBearerChallenge(
        'Bearer realm="api", error="insufficient_scope", scope="read:orders", error_description="a \\"quoted\\" word"',
      ),
    ).toEqual({
      realm: 'api',
      error: 'insufficient_scope',
      scope: 'read:orders',
      error_description: 'a "quoted" word',
    });
    expect(readBearerChallenge('bearer error=invalid_token')).toEqual({ error: 'invalid_token' });
  });

  it('reads nothing from other schemes or no header', () => {
    expect(readBearerChallenge('Basic realm="x"')).toEqual({});
    expect(readBearerChallenge(null)).toEqual({});
  });
});

describe('apiError', () => {
  it('falls back to invalid_token for 401 and insufficient_scope for 403', () => {
    expect(apiError(new Response(null, { status: 401 }))).toMatchObject({
      error: 'invalid_token',
      status: 401,
    });
    expect(apiError(new Response(null, { status: 403 }))).toMatchObject({
      error: 'insufficient_scope',
      status: 403,
    });
  });
});
