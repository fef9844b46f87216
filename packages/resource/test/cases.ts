import { encodeBase64Url } from '@warden/protocol';
import { type Policy, requirePermissions, requireRoles, requireScopes } from '../src/policy.js';
import type { VerifierOptions } from '../src/verifier-options.js';
import {
  AUDIENCE,
  accessClaims,
  baseOptions,
  CLIENT_ID,
  encryptToken,
  type FakeFetch,
  type Fixtures,
  fakeRevocationView,
  ISSUER,
  type KeyName,
  mintToken,
  nowSeconds,
  publicPem,
  signHmac,
  signRaw,
} from './fixtures.js';

/** The routes every adapter serves; each handler answers with the principal it was given. */
export const ROUTES: readonly { method: 'GET' | 'POST'; path: string; policies: Policy[] }[] = [
  { method: 'GET', path: '/api/dragons', policies: [] },
  { method: 'POST', path: '/api/dragons', policies: [] },
  { method: 'GET', path: '/api/orders', policies: [requireRoles('admin')] },
  { method: 'GET', path: '/api/lair', policies: [requireScopes('write:dragons')] },
  { method: 'GET', path: '/api/hoard', policies: [requirePermissions('read:hoard')] },
];

export type Profile = 'default' | 'locations' | 'encrypted' | 'revocation' | 'failClosed';

/** The verifier options of each profile. */
export function profileOptions(profile: Profile, fake: FakeFetch, f: Fixtures): VerifierOptions {
  const base = baseOptions(fake);
  switch (profile) {
    case 'default':
      return base;
    case 'locations':
      return { ...base, tokenLocations: ['header', 'query', 'body'] };
    case 'encrypted':
      return { ...base, decryptionKeys: { keys: [f.encryption.generated.privateJwk] } };
    case 'revocation':
      return { ...base, revocation: fakeRevocationView({ revokedJti: 'revoked-jti' }) };
    case 'failClosed':
      return { ...base, revocation: { view: fakeRevocationView({ stale: true }), failClosed: true } };
  }
}

export interface CaseRequest {
  method: 'GET' | 'POST';
  /** Path and query. */
  path: string;
  /** A header given as an array is sent as that many header lines. */
  headers: Record<string, string | string[]>;
  body?: string;
}

export interface Case {
  name: string;
  profile?: Profile;
  request: (f: Fixtures) => Promise<CaseRequest>;
  status: number;
  /** The error code expected in the body and the challenge; null: a challenge without an error code. */
  error?: string | null;
  /** For a 200: the `sub` the handler saw. */
  sub?: string;
  /** The challenge's `scope` attribute, when one is expected. */
  scope?: string;
}

const get = (path: string, headers: Record<string, string | string[]> = {}): CaseRequest => ({
  method: 'GET',
  path,
  headers,
});
const bearer = (token: string, path = '/api/dragons'): CaseRequest =>
  get(path, { authorization: `Bearer ${token}` });
const form = (body: string, headers: Record<string, string> = {}): CaseRequest => ({
  method: 'POST',
  path: '/api/dragons',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body,
});
const b64 = (value: unknown) => encodeBase64Url(JSON.stringify(value));

/**
 * A bearer request with a token made of exactly this header and these claims (`accessClaims()` by
 * default), signed with `key` (the published RS256 key by default).
 */
const signedBearer = (
  f: Fixtures,
  header: Record<string, unknown>,
  { claims = accessClaims(), key }: { claims?: Record<string, unknown>; key?: KeyName } = {},
): CaseRequest => bearer(signRaw(JSON.stringify(header), JSON.stringify(claims), f, key));

/** A token that passes every check except the one the case changes. */
const good = (f: Fixtures, claims: Record<string, unknown> = {}) => mintToken(f, claims);
const refused = { status: 401, error: 'invalid_token' } as const;

export const CASES: readonly Case[] = [
  // What should pass.
  {
    name: 'a valid RS256 access token reaches the handler with its principal',
    request: async (f) => bearer(await good(f)),
    status: 200,
    sub: 'alice',
  },
  ...(['ps256', 'es256', 'eddsa'] as const).map(
    (key): Case => ({
      name: `a valid ${key} access token is accepted`,
      request: async (f) => bearer(await mintToken(f, {}, { key })),
      status: 200,
      sub: 'alice',
    }),
  ),
  {
    name: 'the scheme name is case-insensitive',
    request: async (f) => get('/api/dragons', { authorization: `bearer ${await good(f)}` }),
    status: 200,
    sub: 'alice',
  },

  // Missing and malformed credentials (RFC 6750 §3.1).
  {
    name: 'no token: 401 with a challenge without error code',
    request: async () => get('/api/dragons'),
    status: 401,
    error: null,
  },
  {
    name: 'Basic credentials count as no bearer token',
    request: async () => get('/api/dragons', { authorization: 'Basic YWxpY2U6c2VjcmV0' }),
    status: 401,
    error: null,
  },
  {
    name: 'a token in the query is ignored unless the API opted in',
    request: async (f) => get(`/api/dragons?access_token=${await good(f)}`),
    status: 401,
    error: null,
  },
  {
    name: '"Bearer" without a token is a malformed request',
    request: async () => get('/api/dragons', { authorization: 'Bearer' }),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'a bearer credential with characters outside b64token is a malformed request',
    request: async (f) => get('/api/dragons', { authorization: `Bearer ${await good(f)}, Bearer abc` }),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'two Authorization header lines are refused',
    request: async (f) =>
      get('/api/dragons', {
        authorization: [`Bearer ${await good(f)}`, `Bearer ${await good(f, { sub: 'bob' })}`],
      }),
    status: 400,
    error: 'invalid_request',
  },
  { name: 'a bearer token that is not a JWT', request: async () => bearer('not-a-jwt'), ...refused },

  // Policies: decided from the token alone.
  {
    name: "requireRoles('admin') lets an admin through",
    request: async (f) => bearer(await good(f, { roles: ['admin'] }), '/api/orders'),
    status: 200,
    sub: 'alice',
  },
  {
    name: "requireRoles('admin') refuses a user without the role with 403 insufficient_scope",
    request: async (f) => bearer(await good(f, { roles: ['reader'] }), '/api/orders'),
    status: 403,
    error: 'insufficient_scope',
  },
  {
    name: "requireRoles('admin') refuses a token without a roles claim",
    request: async (f) => bearer(await good(f, { roles: undefined }), '/api/orders'),
    status: 403,
    error: 'insufficient_scope',
  },
  {
    name: 'requireScopes lets a token with the scope through',
    request: async (f) => bearer(await good(f, { scope: 'read:dragons write:dragons' }), '/api/lair'),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'requireScopes refuses a token without the scope and names it in the challenge',
    request: async (f) => bearer(await good(f), '/api/lair'),
    status: 403,
    error: 'insufficient_scope',
    scope: 'write:dragons',
  },
  {
    name: 'requirePermissions lets a token with the permission through',
    request: async (f) => bearer(await good(f, { permissions: ['read:hoard'] }), '/api/hoard'),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'requirePermissions refuses a token without the permission',
    request: async (f) => bearer(await good(f), '/api/hoard'),
    status: 403,
    error: 'insufficient_scope',
  },
  {
    name: 'a roles claim that is not an array of strings makes the token invalid',
    request: async (f) => bearer(await good(f, { roles: 'admin' }), '/api/orders'),
    ...refused,
  },

  // Token locations (RFC 6750 §2), opted in.
  {
    name: 'a token in the query, opted in',
    profile: 'locations',
    request: async (f) => get(`/api/dragons?access_token=${await good(f)}`),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'a token in a form body, opted in',
    profile: 'locations',
    request: async (f) => form(`access_token=${await good(f)}&name=Smaug`),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'two tokens in one request (header and query) are refused',
    profile: 'locations',
    request: async (f) => ({ ...bearer(await good(f)), path: `/api/dragons?access_token=${await good(f)}` }),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'two tokens in one request (header and body) are refused',
    profile: 'locations',
    request: async (f) => form(`access_token=${await good(f)}`, { authorization: `Bearer ${await good(f)}` }),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'access_token twice in the query is refused',
    profile: 'locations',
    request: async (f) => get(`/api/dragons?access_token=${await good(f)}&access_token=${await good(f)}`),
    status: 400,
    error: 'invalid_request',
  },
  {
    name: 'access_token twice in a form body is refused',
    profile: 'locations',
    request: async (f) => form(`access_token=${await good(f)}&access_token=${await good(f)}`),
    status: 400,
    error: 'invalid_request',
  },

  // The attack list of issue 3: each one 401, and the handler never runs.
  {
    name: 'alg none',
    request: async () => bearer(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(accessClaims())}.`),
    ...refused,
  },
  {
    name: 'alg none with a kid and a signature segment',
    request: async () =>
      bearer(`${b64({ alg: 'none', kid: 'rsa-1', typ: 'at+jwt' })}.${b64(accessClaims())}.AAAA`),
    ...refused,
  },
  {
    name: 'RS256 → HS256 key confusion (the public key PEM as HMAC secret)',
    request: async (f) =>
      bearer(signHmac({ alg: 'HS256', kid: 'rsa-1', typ: 'at+jwt' }, accessClaims(), publicPem(f, 'rs256'))),
    ...refused,
  },
  {
    name: 'RS256 → HS256 key confusion (the public JWK as HMAC secret, no kid)',
    request: async (f) =>
      bearer(
        signHmac(
          { alg: 'HS256', typ: 'at+jwt' },
          accessClaims(),
          JSON.stringify(f.keys.rs256.generated.publicJwk),
        ),
      ),
    ...refused,
  },
  {
    name: 'an embedded jwk header carrying the signer’s own key',
    request: async (f) =>
      signedBearer(
        f,
        { alg: 'RS256', typ: 'at+jwt', jwk: f.keys.attacker.generated.publicJwk },
        { key: 'attacker' },
      ),
    ...refused,
  },
  {
    name: 'an embedded jwk header with the kid of a published key',
    request: async (f) =>
      signedBearer(
        f,
        { alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt', jwk: f.keys.attacker.generated.publicJwk },
        { key: 'attacker' },
      ),
    ...refused,
  },
  {
    name: 'a jku header pointing elsewhere (never fetched)',
    request: async (f) =>
      signedBearer(
        f,
        { alg: 'RS256', kid: 'attacker-1', typ: 'at+jwt', jku: 'https://evil.example/jwks.json' },
        { key: 'attacker' },
      ),
    ...refused,
  },
  {
    name: 'an x5u header pointing elsewhere (never fetched)',
    request: async (f) =>
      signedBearer(
        f,
        { alg: 'RS256', kid: 'attacker-1', typ: 'at+jwt', x5u: 'https://evil.example/cert.pem' },
        { key: 'attacker' },
      ),
    ...refused,
  },
  {
    name: 'an iss pointing elsewhere does not move where keys come from',
    request: async (f) =>
      signedBearer(
        f,
        { alg: 'RS256', kid: 'attacker-1', typ: 'at+jwt' },
        { key: 'attacker', claims: accessClaims({ iss: 'https://evil.example/' }) },
      ),
    ...refused,
  },
  ...['../../etc/passwd', "' OR 1=1 --", '../../../../dev/null\u0000', 'rsa-1/../rsa-1'].map(
    (kid): Case => ({
      name: `kid injection ${JSON.stringify(kid)} (signed with the real key)`,
      request: async (f) => signedBearer(f, { alg: 'RS256', kid, typ: 'at+jwt' }),
      ...refused,
    }),
  ),
  {
    name: 'ECDSA signature r = s = 0 (CVE-2022-21449)',
    request: async () =>
      bearer(
        `${b64({ alg: 'ES256', kid: 'ec-1', typ: 'at+jwt' })}.${b64(accessClaims())}.${encodeBase64Url(new Uint8Array(64))}`,
      ),
    ...refused,
  },
  {
    name: 'a signature over other claims',
    request: async (f) => {
      const [header, , signature] = (await good(f)).split('.');
      return bearer(`${header}.${b64(accessClaims({ roles: ['admin'] }))}.${signature}`);
    },
    ...refused,
  },
  {
    name: 'expired',
    request: async (f) => bearer(await good(f, { iat: nowSeconds() - 700, exp: nowSeconds() - 60 })),
    ...refused,
  },
  {
    name: 'not yet valid (nbf)',
    request: async (f) => bearer(await good(f, { nbf: nowSeconds() + 60 })),
    ...refused,
  },
  {
    name: 'issued in the future (iat)',
    request: async (f) => bearer(await good(f, { iat: nowSeconds() + 60 })),
    ...refused,
  },
  { name: 'without exp', request: async (f) => bearer(await good(f, { exp: undefined })), ...refused },
  {
    name: 'wrong aud',
    request: async (f) => bearer(await good(f, { aud: 'http://localhost:3002/api/' })),
    ...refused,
  },
  { name: 'aud missing', request: async (f) => bearer(await good(f, { aud: undefined })), ...refused },
  {
    name: 'wrong iss',
    request: async (f) => bearer(await good(f, { iss: 'https://evil.example/' })),
    ...refused,
  },
  {
    name: 'iss without its trailing slash',
    request: async (f) => bearer(await good(f, { iss: ISSUER.slice(0, -1) })),
    ...refused,
  },
  {
    name: 'an id_token presented as an access token (typ JWT, aud = the client)',
    request: async (f) =>
      bearer(
        await mintToken(
          f,
          {
            aud: CLIENT_ID,
            nonce: 'n-0S6_WzA2Mj',
            auth_time: nowSeconds(),
            client_id: undefined,
            scope: undefined,
          },
          { typ: 'JWT' },
        ),
      ),
    ...refused,
  },
  {
    name: 'an id_token with the API as audience is still refused for its typ',
    request: async (f) => bearer(await mintToken(f, { aud: [CLIENT_ID, AUDIENCE] }, { typ: 'JWT' })),
    ...refused,
  },
  {
    name: 'an access token without typ',
    request: async (f) => bearer(await mintToken(f, {}, { typ: null })),
    ...refused,
  },
  {
    name: 'an access token without jti (RFC 9068)',
    request: async (f) => bearer(await good(f, { jti: undefined })),
    ...refused,
  },
  {
    name: 'an access token without client_id (RFC 9068)',
    request: async (f) => bearer(await good(f, { client_id: undefined })),
    ...refused,
  },
  {
    name: 'a token from a retired key no longer in the JWKS',
    request: async (f) => bearer(await mintToken(f, {}, { key: 'retired' })),
    ...refused,
  },
  {
    name: 'a token from an unknown key',
    request: async (f) => bearer(await mintToken(f, {}, { key: 'attacker' })),
    ...refused,
  },
  {
    name: 'a token signed by a published key under another key’s kid',
    request: async (f) => signedBearer(f, { alg: 'RS256', kid: 'pss-1', typ: 'at+jwt' }),
    ...refused,
  },
  {
    name: 'an oversized token',
    request: async (f) => bearer(await good(f, { padding: 'x'.repeat(9000) })),
    ...refused,
  },
  {
    name: 'non-canonical base64url (non-zero unused bits in the signature)',
    request: async (f) => {
      const token = await good(f);
      const last = token.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      return bearer(token.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1]);
    },
    ...refused,
  },
  {
    name: 'non-canonical base64url (padding on the payload)',
    request: async (f) => {
      const [header, payload, signature] = (await good(f)).split('.');
      return get('/api/dragons', { authorization: `Bearer ${header}.${payload}==.${signature}` });
    },
    ...refused,
  },
  {
    name: 'non-canonical base64url (padding on the signature)',
    request: async (f) => bearer(`${await good(f)}==`),
    ...refused,
  },
  {
    name: 'non-canonical base64url (base64 alphabet instead of base64url)',
    request: async (f) => {
      const token = signRaw(
        JSON.stringify({ alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' }),
        JSON.stringify(accessClaims()),
        f,
      );
      if (!/[-_]/.test(token)) throw new Error('this token spells the same in both alphabets');
      return bearer(token.replaceAll('-', '+').replaceAll('_', '/'));
    },
    ...refused,
  },
  {
    name: 'duplicate claims (a second aud after a wrong one)',
    request: async (f) => {
      const text = JSON.stringify(accessClaims({ aud: undefined })).replace(
        /^\{/,
        `{"aud":"http://localhost:3002/api/","aud":"${AUDIENCE}",`,
      );
      return bearer(signRaw(JSON.stringify({ alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' }), text, f));
    },
    ...refused,
  },
  {
    name: 'duplicate claims (sub twice)',
    request: async (f) => {
      const text = JSON.stringify(accessClaims()).replace(/^\{/, '{"sub":"admin",');
      return bearer(signRaw(JSON.stringify({ alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt' }), text, f));
    },
    ...refused,
  },
  {
    name: 'a crit header',
    request: async (f) => signedBearer(f, { alg: 'RS256', kid: 'rsa-1', typ: 'at+jwt', crit: ['exp'] }),
    ...refused,
  },
  {
    name: 'an encrypted token sent to an API that does not decrypt',
    request: async (f) => bearer(await encryptToken(f, await good(f))),
    ...refused,
  },

  // Encrypted access tokens.
  {
    name: 'an encrypted token is decrypted and verified',
    profile: 'encrypted',
    request: async (f) => bearer(await encryptToken(f, await good(f))),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'an API that decrypts refuses a plain signed token',
    profile: 'encrypted',
    request: async (f) => bearer(await good(f)),
    ...refused,
  },
  {
    name: 'an encrypted token holding unsigned claims',
    profile: 'encrypted',
    request: async (f) =>
      bearer(await encryptToken(f, `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(accessClaims())}.`)),
    ...refused,
  },
  {
    name: 'an encrypted token holding JSON claims instead of a JWS',
    profile: 'encrypted',
    request: async (f) => bearer(await encryptToken(f, JSON.stringify(accessClaims()))),
    ...refused,
  },
  {
    name: 'a token encrypted to another key',
    profile: 'encrypted',
    request: async (f) => bearer(await encryptToken(f, await good(f), 'other')),
    ...refused,
  },
  {
    name: 'an encrypted expired token',
    profile: 'encrypted',
    request: async (f) => bearer(await encryptToken(f, await good(f, { exp: nowSeconds() - 60 }))),
    ...refused,
  },

  // Revocation, checked on every request.
  {
    name: 'a token the revocation view does not list',
    profile: 'revocation',
    request: async (f) => bearer(await good(f)),
    status: 200,
    sub: 'alice',
  },
  {
    name: 'a revoked token',
    profile: 'revocation',
    request: async (f) => bearer(await good(f, { jti: 'revoked-jti' })),
    ...refused,
  },
  {
    name: 'a stale revocation view with failClosed answers 503',
    profile: 'failClosed',
    request: async (f) => bearer(await good(f)),
    status: 503,
    error: 'temporarily_unavailable',
  },
];
