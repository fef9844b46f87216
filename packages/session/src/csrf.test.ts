import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkRequestOrigin,
  createCsrfSecret,
  createCsrfToken,
  createOriginCheck,
  createPreSessionCsrf,
  type HeadersInput,
  verifyCsrfToken,
} from './csrf.js';

const allowedOrigins = ['https://id.example.com'];

function check(method: string, headers: HeadersInput) {
  return checkRequestOrigin({ method, headers, allowedOrigins });
}

describe('checkRequestOrigin', () => {
  it('lets safe methods through whatever their origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get']) {
      expect(check(method, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toEqual({
        ok: true,
      });
    }
  });

  it('allows a same-origin POST and a user-initiated one', () => {
    expect(check('POST', new Headers({ 'Sec-Fetch-Site': 'same-origin' }))).toEqual({ ok: true });
    expect(check('POST', { 'sec-fetch-site': 'none' })).toEqual({ ok: true });
  });

  it('refuses a cross-site POST, PUT, PATCH or DELETE', () => {
    for (const method of ['POST', 'put', 'PATCH', 'DELETE']) {
      expect(check(method, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toEqual({
        ok: false,
        reason: 'cross_site_request',
      });
    }
  });

  it('refuses a same-site POST from a sibling subdomain unless its origin is allowed', () => {
    const headers = { 'sec-fetch-site': 'same-site', origin: 'https://blog.example.com' };
    expect(check('POST', headers)).toEqual({ ok: false, reason: 'cross_site_request' });
    expect(
      checkRequestOrigin({
        method: 'POST',
        headers,
        allowedOrigins: [...allowedOrigins, 'https://blog.example.com'],
      }),
    ).toEqual({ ok: true });
    expect(check('POST', { 'sec-fetch-site': 'cross-site' })).toEqual({
      ok: false,
      reason: 'cross_site_request',
    });
  });

  it('falls back to Origin without Fetch Metadata, or with a value it does not know', () => {
    expect(check('POST', { Origin: 'https://id.example.com' })).toEqual({ ok: true });
    expect(check('POST', { origin: 'https://evil.example' })).toEqual({
      ok: false,
      reason: 'origin_not_allowed',
    });
    expect(check('POST', { origin: 'null' })).toEqual({ ok: false, reason: 'origin_not_allowed' });
    expect(check('POST', { 'sec-fetch-site': 'weird', origin: 'https://evil.example' })).toEqual({
      ok: false,
      reason: 'origin_not_allowed',
    });
    expect(check('POST', { origin: ['https://id.example.com', 'https://evil.example'] })).toEqual({
      ok: false,
      reason: 'origin_not_allowed',
    });
  });

  it("falls back to the Referer's origin without Origin", () => {
    expect(check('POST', { referer: 'https://id.example.com/login?x=1' })).toEqual({ ok: true });
    expect(check('POST', { referer: 'https://id.example.com.evil.example/' })).toEqual({
      ok: false,
      reason: 'referer_not_allowed',
    });
    expect(check('POST', { referer: 'not a url' })).toEqual({ ok: false, reason: 'referer_not_allowed' });
  });

  it('checks every method that is not GET, HEAD or OPTIONS, whatever its name or case', () => {
    for (const method of ['post', 'PROPFIND', 'TRACE', 'CONNECT', 'X-CUSTOM', '']) {
      expect(check(method, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).toEqual({
        ok: false,
        reason: 'cross_site_request',
      });
      expect(check(method, {})).toEqual({ ok: false, reason: 'origin_missing' });
    }
  });

  it('refuses a Referer that has no http(s) origin (file:, data:, about:)', () => {
    for (const referer of ['file:///tmp/x.html', 'data:text/html,x', 'about:blank']) {
      expect(check('POST', { referer })).toEqual({ ok: false, reason: 'referer_not_allowed' });
    }
  });

  it('refuses an unsafe request that carries none of the headers', () => {
    expect(check('POST', {})).toEqual({ ok: false, reason: 'origin_missing' });
    expect(check('POST', new Headers())).toEqual({ ok: false, reason: 'origin_missing' });
  });

  it('compares origins in their serialised form', () => {
    const result = checkRequestOrigin({
      method: 'POST',
      headers: { origin: 'https://id.example.com' },
      allowedOrigins: ['HTTPS://ID.Example.com:443/some/path'],
    });
    expect(result).toEqual({ ok: true });
  });

  it('throws a TypeError naming allowedOrigins for an entry that is not an origin', () => {
    expect(() =>
      checkRequestOrigin({ method: 'GET', headers: {}, allowedOrigins: ['id.example.com'] }),
    ).toThrow(/^allowedOrigins:/);
  });
});

describe('synchronizer CSRF tokens', () => {
  const secret = createCsrfSecret();

  it('verifies a token minted with the same secret; each token is new', () => {
    const token = createCsrfToken(secret);
    expect(verifyCsrfToken(secret, token)).toBe(true);
    expect(createCsrfToken(secret)).not.toBe(token);
  });

  it("refuses another session's token", () => {
    expect(verifyCsrfToken(createCsrfSecret(), createCsrfToken(secret))).toBe(false);
  });

  it('refuses a tampered token', () => {
    const token = createCsrfToken(secret);
    for (const at of [0, 10, 23, 40, 65]) {
      const flipped = token[at] === 'A' ? 'B' : 'A';
      expect(verifyCsrfToken(secret, token.slice(0, at) + flipped + token.slice(at + 1))).toBe(false);
    }
    const [nonce] = token.split('.');
    const otherNonce = createCsrfToken(secret).split('.')[0];
    expect(verifyCsrfToken(secret, `${otherNonce}.${token.split('.')[1]}`)).toBe(false);
    expect(verifyCsrfToken(secret, `${nonce}.`)).toBe(false);
  });

  it('returns false, never throws, for garbage', () => {
    for (const token of [undefined, null, 1, {}, '', '.', 'a'.repeat(66), 'x'.repeat(100_000)]) {
      expect(verifyCsrfToken(secret, token)).toBe(false);
    }
  });

  it('throws a TypeError naming secret for a short secret', () => {
    expect(() => createCsrfToken('short')).toThrow(/^secret:/);
    expect(() => verifyCsrfToken('short', 'x')).toThrow(/^secret:/);
  });
});

describe('createPreSessionCsrf', () => {
  const secret = 'a server secret of at least 32 bytes!';
  let now = 1_700_000_000_000;
  const guard = createPreSessionCsrf({ secret, clock: () => now });

  function cookieHeaderOf(setCookie: string): string {
    return setCookie.split(';')[0]!;
  }

  it('sets a __Host- cookie: HttpOnly, Secure, SameSite=Lax, Path=/, one hour', () => {
    const { cookie } = guard.issue();
    expect(cookie).toMatch(
      /^__Host-warden_csrf=[A-Za-z0-9_-]{22}\.\d+; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('accepts the token together with its cookie', () => {
    const { token, cookie } = guard.issue();
    expect(guard.verify(`lang=en; ${cookieHeaderOf(cookie)}`, token)).toBe(true);
  });

  it("refuses a token with someone else's cookie, or with none", () => {
    const mine = guard.issue();
    const attackers = guard.issue();
    expect(guard.verify(cookieHeaderOf(mine.cookie), attackers.token)).toBe(false);
    expect(guard.verify(undefined, mine.token)).toBe(false);
    expect(guard.verify(cookieHeaderOf(mine.cookie), undefined)).toBe(false);
  });

  it('refuses a pair made without the server secret', () => {
    const value = `${'A'.repeat(22)}.${Math.floor(now / 1000)}`;
    const plantedToken = createHmac('sha256', 'guessed secret guessed secret 123')
      .update(`warden-pre-session-csrf.v1.${value}`)
      .digest('base64url');
    expect(guard.verify(`__Host-warden_csrf=${value}`, plantedToken)).toBe(false);
    const otherServer = createPreSessionCsrf({
      secret: 'another server secret, also 32+ bytes',
      clock: () => now,
    });
    const foreign = otherServer.issue();
    expect(guard.verify(cookieHeaderOf(foreign.cookie), foreign.token)).toBe(false);
  });

  it('refuses a pair older than maxAge', () => {
    const { token, cookie } = guard.issue();
    now += 3600_000;
    expect(guard.verify(cookieHeaderOf(cookie), token)).toBe(false);
  });

  it('reuses a young cookie so several open forms stay valid, and renews an old one', () => {
    const first = guard.issue();
    now += 10 * 60_000;
    const second = guard.issue(cookieHeaderOf(first.cookie));
    expect(cookieHeaderOf(second.cookie)).toBe(cookieHeaderOf(first.cookie));
    expect(second.cookie).toContain('Max-Age=3000');
    expect(guard.verify(cookieHeaderOf(first.cookie), first.token)).toBe(true);
    expect(guard.verify(cookieHeaderOf(first.cookie), second.token)).toBe(true);
    now += 30 * 60_000;
    const third = guard.issue(cookieHeaderOf(first.cookie));
    expect(cookieHeaderOf(third.cookie)).not.toBe(cookieHeaderOf(first.cookie));
  });

  it('drops the __Host- prefix and Secure only when secure is false', () => {
    const dev = createPreSessionCsrf({ secret, secure: false });
    const { token, cookie } = dev.issue();
    expect(cookie).toMatch(/^warden_csrf=/);
    expect(cookie).not.toContain('Secure');
    expect(dev.verify(cookieHeaderOf(cookie), token)).toBe(true);
  });

  it('throws a TypeError naming the option', () => {
    expect(() => createPreSessionCsrf({ secret: 'short' })).toThrow(/^secret:/);
    expect(() => createPreSessionCsrf({ secret, maxAge: 0 })).toThrow(/^maxAge:/);
    expect(() => createPreSessionCsrf({ secret, secure: false, cookieName: '__Host-x' })).toThrow(
      /^cookieName:/,
    );
    expect(() => createPreSessionCsrf({ secret, cookieName: 'a;b' })).toThrow(/^cookieName:/);
  });
});

describe('createOriginCheck', () => {
  it('validates the allowed origins once, up front, and then judges requests as checkRequestOrigin does', () => {
    expect(() => createOriginCheck(['not an origin'])).toThrow(/allowedOrigins/);
    const check = createOriginCheck(['https://app.example']);
    expect(check('GET', {})).toEqual({ ok: true });
    expect(check('POST', { 'sec-fetch-site': 'same-origin' })).toEqual({ ok: true });
    expect(check('POST', { origin: 'https://app.example' })).toEqual({ ok: true });
    expect(check('POST', { origin: 'https://evil.example' })).toEqual({
      ok: false,
      reason: 'origin_not_allowed',
    });
    expect(check('DELETE', {})).toEqual({ ok: false, reason: 'origin_missing' });
  });
});
