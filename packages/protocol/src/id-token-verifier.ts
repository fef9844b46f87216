import { computeAtHash } from './at-hash.js';
import { decodeJwt } from './decode-jwt.js';
import { importKeySet, type KeySet } from './key-set.js';
import { OAuthError } from './oauth-error.js';
import { verifyJwt } from './verify-jwt.js';

/** The claims of a verified id_token (OIDC Core 2). */
export type IdTokenClaims = Record<string, unknown> & { iss: string; sub: string; exp: number };

export interface IdTokenVerifierSettings {
  issuer: string;
  clientId: string;
  /** Accepted signing algorithms (the idp's `id_token_signing_alg_values_supported`); default: any the key pins. */
  algorithms?: readonly string[];
  /** Seconds of clock skew allowed for `exp` and `iat`. */
  leeway: number;
  /** Fetches the idp's JWKS (a JSON value). */
  fetchJwks: () => Promise<unknown>;
}

export interface IdTokenChecks {
  /** The nonce this sign-in sent; required for a code exchange, unset for a refresh. */
  nonce?: string;
  /** The access token issued with the id_token: checked against `at_hash` when the token has one. */
  accessToken?: string;
  /** After a refresh: the `sub` the first id_token had. */
  subject?: string;
  /** Now, in milliseconds since the epoch. */
  now: number;
}

export interface IdTokenVerifier {
  verify(idToken: string, checks: IdTokenChecks): Promise<IdTokenClaims>;
}

/**
 * Verifies id_tokens (OIDC Core 3.1.3.7) with keys from the idp's JWKS, fetched on first use and
 * fetched again once when a token names a key the set does not have (key rotation). Checks:
 * signature with a key of the set (`verifyJwt`: `alg` pinned to the key, never `none`); `typ` is
 * not `at+jwt` (an access token is not an id_token); `iss` equals the issuer; `aud` contains the
 * client_id, and `azp` equals it when there are several audiences or `azp` is present; `exp` and
 * `iat` within `leeway`; `sub` present; `nonce` equals the one sent (when given); `at_hash`
 * matches the access token (when the token has one); `sub` unchanged after a refresh. It does
 * NOT check `auth_time`, `acr` or `max_age`. Failures throw `OAuthError('invalid_token')`.
 */
export function createIdTokenVerifier(settings: IdTokenVerifierSettings): IdTokenVerifier {
  let keys: Promise<KeySet> | undefined;
  const loadKeys = (): Promise<KeySet> => {
    keys = settings.fetchJwks().then((jwks) => importKeySet(jwks));
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };

  return {
    async verify(idToken, checks) {
      const { header } = decodeJwt(idToken);
      if (typeof header.typ === 'string' && /^(application\/)?at\+jwt$/i.test(header.typ)) {
        fail('an access token is not an id_token');
      }
      let set = await (keys ?? loadKeys());
      if (!set.get(header.kid as string | undefined, String(header.alg))) set = await loadKeys();
      const { payload } = await verifyJwt(idToken, set, {
        issuer: settings.issuer,
        audience: settings.clientId,
        clockTolerance: settings.leeway,
        currentTime: Math.floor(checks.now / 1000),
        requiredClaims: ['sub', 'iat'],
        ...(settings.algorithms && { algorithms: settings.algorithms }),
      });
      checkAuthorizedParty(payload, settings.clientId);
      if (checks.nonce !== undefined && payload.nonce !== checks.nonce) fail('the nonce does not match');
      if (checks.subject !== undefined && payload.sub !== checks.subject) fail('the sub changed');
      if (typeof payload.at_hash === 'string' && checks.accessToken !== undefined) {
        const expected = await computeAtHash(checks.accessToken, String(header.alg));
        if (payload.at_hash !== expected) fail('at_hash does not match the access token');
      }
      return payload as IdTokenClaims;
    },
  };
}

function checkAuthorizedParty(payload: Record<string, unknown>, clientId: string): void {
  const several = Array.isArray(payload.aud) && payload.aud.length > 1;
  if ((several || payload.azp !== undefined) && payload.azp !== clientId) fail('unexpected azp');
}

function fail(description: string): never {
  throw new OAuthError('invalid_token', description);
}
